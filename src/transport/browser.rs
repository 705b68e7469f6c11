//! The browser's WebSocket (gloo-net) as a [`Connector`]: the only module
//! that touches a real socket.

use std::future::Future;
use std::pin::Pin;

use chat_session::{Connector, SocketEvent};
use futures::future;
use futures::{Sink, SinkExt, Stream, StreamExt};
use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::{Message, WebSocketError};

/// Opens real WebSockets and waits on browser timers.
pub struct BrowserConnector;

fn to_event(item: Result<Message, WebSocketError>) -> Option<SocketEvent> {
    match item {
        Ok(Message::Text(text)) => Some(SocketEvent::Text(text)),
        // The protocol is JSON text only; a binary frame carries nothing for us.
        Ok(Message::Bytes(_)) => None,
        Err(WebSocketError::ConnectionClose(event)) => Some(SocketEvent::Closed(Some(event.code))),
        Err(_) => Some(SocketEvent::Closed(None)),
    }
}

impl Connector for BrowserConnector {
    type Sink = Pin<Box<dyn Sink<String, Error = WebSocketError>>>;
    type Stream = Pin<Box<dyn Stream<Item = SocketEvent>>>;

    fn connect(&self, url: &str) -> impl Future<Output = Result<(Self::Sink, Self::Stream), String>> {
        let opened = WebSocket::open(url).map_err(|e| e.to_string());
        async move {
            let socket = opened?;
            let (sink, stream) = socket.split();
            let sink: Self::Sink = Box::pin(sink.with(|text: String| future::ready(Ok(Message::Text(text)))));
            let stream: Self::Stream = Box::pin(stream.filter_map(|item| future::ready(to_event(item))));
            Ok((sink, stream))
        }
    }

    fn sleep(&self, ms: u32) -> impl Future<Output = ()> {
        gloo_timers::future::TimeoutFuture::new(ms)
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}
