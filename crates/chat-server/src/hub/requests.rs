//! Requests from apps that hold no socket (REST with a service token): the
//! same domain path as a connection's frames, on a connection that lives for
//! one request. A service comes and goes unannounced, so nobody sees it.

use std::sync::Arc;

use chat_protocol::{AckResult, ClientFrame, ErrorCode, ErrorFrame, ServerFrame};

use super::Hub;
use crate::auth::Identity;

impl Hub {
    /// Handles one request frame as `who` would over a socket; returns what
    /// its ack or its error frame says.
    pub async fn request_as(self: &Arc<Self>, who: Identity, frame: ClientFrame) -> Result<AckResult, ErrorFrame> {
        let req_id = frame.req_id();
        let (session, mut rx) = self.join(who, None).await.map_err(|e| e.to_frame(req_id))?;
        session.handle(frame).await;
        let mut answer = None;
        // The welcome (and any event it receives meanwhile) come first on its queue.
        while let Some(text) = rx.recv().await {
            match serde_json::from_str::<ServerFrame>(&text) {
                Ok(ServerFrame::Ack { result, .. }) => {
                    answer = Some(Ok(result));
                    break;
                }
                Ok(ServerFrame::Error(error)) if error.req_id == req_id => {
                    answer = Some(Err(error));
                    break;
                }
                _ => {}
            }
        }
        session.leave().await;
        answer.unwrap_or_else(|| Err(ErrorFrame::new(req_id, ErrorCode::Internal, "the request went unanswered")))
    }
}
