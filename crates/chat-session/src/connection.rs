//! One connection's life: send the auth frame, then forward outgoing frames
//! to the socket and incoming frames to the peer, until either side ends.
//! Generic over `Sink`/`Stream`, so it runs natively against channels in tests.

use chat_protocol::{parse_server_frame, ServerFrame};
use futures::channel::mpsc;
use futures::{select, FutureExt, Sink, SinkExt, Stream, StreamExt};

/// What the socket reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SocketEvent {
    /// A text frame.
    Text(String),
    /// The socket closed, with its close code when there was one.
    Closed(Option<u16>),
}

/// Why a connection ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoopEnd {
    /// The socket closed (code if known).
    Closed(Option<u16>),
    /// The session asked to drop this connection (reconnect now, or stop).
    Dropped,
}

/// Runs one connection. `auth` is sent first; `outgoing` carries serialized
/// client frames; each parsed server frame is passed to `on_frame`.
/// Frames the client cannot parse are skipped: a newer server may add kinds.
pub async fn run_connection<S, R>(
    mut sink: S,
    stream: R,
    auth: String,
    mut outgoing: mpsc::UnboundedReceiver<String>,
    mut on_frame: impl FnMut(ServerFrame),
) -> LoopEnd
where
    S: Sink<String> + Unpin,
    R: Stream<Item = SocketEvent> + Unpin,
{
    if sink.send(auth).await.is_err() {
        return LoopEnd::Closed(None);
    }
    let mut stream = stream.fuse();
    loop {
        select! {
            frame = outgoing.next() => match frame {
                Some(text) => {
                    if sink.send(text).await.is_err() {
                        return LoopEnd::Closed(None);
                    }
                }
                None => {
                    let _ = sink.close().await;
                    return LoopEnd::Dropped;
                }
            },
            event = stream.next().fuse() => match event {
                Some(SocketEvent::Text(text)) => {
                    if let Ok(frame) = parse_server_frame(&text) {
                        on_frame(frame);
                    }
                }
                Some(SocketEvent::Closed(code)) => return LoopEnd::Closed(code),
                None => return LoopEnd::Closed(None),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use chat_protocol::{AckResult, ServerFrame};
    use futures::executor::block_on;

    use super::*;

    #[test]
    fn auth_goes_first_then_frames_flow_both_ways_until_close() {
        let (sink, mut sent) = mpsc::unbounded::<String>();
        let (socket_tx, socket_rx) = mpsc::unbounded::<SocketEvent>();
        let (out_tx, out_rx) = mpsc::unbounded::<String>();
        out_tx.unbounded_send("{\"type\":\"ping\",\"reqId\":1}".into()).unwrap();
        let pong = serde_json::to_string(&ServerFrame::Ack { req_id: 1, result: AckResult::Pong }).unwrap();
        socket_tx.unbounded_send(SocketEvent::Text("not json".into())).unwrap();
        socket_tx.unbounded_send(SocketEvent::Text(pong)).unwrap();
        socket_tx.unbounded_send(SocketEvent::Closed(Some(4008))).unwrap();
        let mut received = Vec::new();
        let end = block_on(run_connection(sink, socket_rx, "AUTH".into(), out_rx, |f| received.push(f)));
        assert_eq!(end, LoopEnd::Closed(Some(4008)));
        assert_eq!(received, vec![ServerFrame::Ack { req_id: 1, result: AckResult::Pong }]);
        assert_eq!(block_on(sent.next()).as_deref(), Some("AUTH"));
    }

    #[test]
    fn dropping_the_outgoing_side_ends_the_connection() {
        let (sink, _sent) = mpsc::unbounded::<String>();
        let (_socket_tx, socket_rx) = mpsc::unbounded::<SocketEvent>();
        let (out_tx, out_rx) = mpsc::unbounded::<String>();
        drop(out_tx);
        let end = block_on(run_connection(sink, socket_rx, "AUTH".into(), out_rx, |_| {}));
        assert_eq!(end, LoopEnd::Dropped);
    }
}
