//! A [`Connector`] for native tests: prepared channel pairs stand in for
//! sockets, and sleeping is instant.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use std::future::{self, Future};

use chat_session::{Connector, SocketEvent};
use futures::channel::mpsc;

type Pair = (mpsc::UnboundedSender<String>, mpsc::UnboundedReceiver<SocketEvent>);

/// Hands out prepared channel pairs as sockets; records each sleep.
#[derive(Clone, Default)]
pub struct FakeConnector {
    pub sockets: Rc<RefCell<VecDeque<Pair>>>,
    pub sleeps: Rc<RefCell<Vec<u32>>>,
}

impl FakeConnector {
    /// Prepares the next socket; returns what the client sends and a way to feed it.
    pub fn prepare(&self) -> (mpsc::UnboundedReceiver<String>, mpsc::UnboundedSender<SocketEvent>) {
        let (client_tx, client_rx) = mpsc::unbounded();
        let (server_tx, server_rx) = mpsc::unbounded();
        self.sockets.borrow_mut().push_back((client_tx, server_rx));
        (client_rx, server_tx)
    }
}

impl Connector for FakeConnector {
    type Sink = mpsc::UnboundedSender<String>;
    type Stream = mpsc::UnboundedReceiver<SocketEvent>;
    fn connect(&self, _url: &str) -> impl Future<Output = Result<(Self::Sink, Self::Stream), String>> {
        let next = self.sockets.borrow_mut().pop_front();
        future::ready(next.ok_or_else(|| "refused".to_owned()))
    }
    fn sleep(&self, ms: u32) -> impl Future<Output = ()> {
        self.sleeps.borrow_mut().push(ms);
        future::ready(())
    }
    fn random(&self) -> f64 {
        0.5
    }
}
