//! tokio-tungstenite's WebSocket as a [`Connector`] for the shared session
//! loop: the only module of the bot that touches a real socket.

use std::future::{self, Future};
use std::pin::Pin;
use std::time::Duration;

use chat_session::{Connector, SocketEvent};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use tokio_tungstenite::tungstenite::{Error as WsError, Message as WsMessage};

/// Opens real sockets and waits on tokio's timers.
pub(crate) struct Tungstenite;

fn to_event(item: Result<WsMessage, WsError>) -> Option<SocketEvent> {
    match item {
        Ok(WsMessage::Text(text)) => Some(SocketEvent::Text(text.to_string())),
        Ok(WsMessage::Close(frame)) => Some(SocketEvent::Closed(frame.map(|f| u16::from(f.code)))),
        // Pings are answered by tungstenite; the protocol is JSON text only.
        Ok(_) => None,
        Err(_) => Some(SocketEvent::Closed(None)),
    }
}

impl Connector for Tungstenite {
    type Sink = Pin<Box<dyn Sink<String, Error = WsError> + Send>>;
    type Stream = Pin<Box<dyn Stream<Item = SocketEvent> + Send>>;

    fn connect(&self, url: &str) -> impl Future<Output = Result<(Self::Sink, Self::Stream), String>> {
        let url = url.to_owned();
        async move {
            let (socket, _) = tokio_tungstenite::connect_async(url.as_str()).await.map_err(|e| e.to_string())?;
            let (sink, stream) = socket.split();
            let sink: Self::Sink =
                Box::pin(sink.with(|text: String| future::ready(Ok::<_, WsError>(WsMessage::Text(text.into())))));
            let stream: Self::Stream = Box::pin(stream.filter_map(|item| future::ready(to_event(item))));
            Ok((sink, stream))
        }
    }

    fn sleep(&self, ms: u32) -> impl Future<Output = ()> {
        tokio::time::sleep(Duration::from_millis(u64::from(ms)))
    }

    fn random(&self) -> f64 {
        fastrand::f64()
    }
}
