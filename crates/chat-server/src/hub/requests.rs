//! Requests from apps that hold no socket (REST with a service token): the
//! same domain path as a connection's frames, on a connection that lives for
//! one request. A service comes and goes unannounced, so nobody sees it.

use std::sync::Arc;

use chat_protocol::{ClientFrame, ServerFrame};

use super::Hub;
use crate::auth::Identity;
use crate::error::DomainError;

impl Hub {
    /// Handles one request frame as `who` would over a socket; returns its
    /// answer (`ack` or `error`).
    pub async fn request_as(self: &Arc<Self>, who: Identity, frame: ClientFrame) -> Result<ServerFrame, DomainError> {
        let req_id = frame.req_id();
        let (session, mut rx) = self.join(who, None).await?;
        session.handle(frame).await;
        let mut answer = None;
        // The welcome (and any event it receives meanwhile) come first on its queue.
        while let Some(text) = rx.recv().await {
            match serde_json::from_str::<ServerFrame>(&text) {
                Ok(frame @ ServerFrame::Ack { .. }) => {
                    answer = Some(frame);
                    break;
                }
                Ok(ServerFrame::Error(error)) if error.req_id == req_id => {
                    answer = Some(ServerFrame::Error(error));
                    break;
                }
                _ => {}
            }
        }
        session.leave().await;
        answer.ok_or_else(|| DomainError::InvalidRequest("the request went unanswered".into()))
    }
}
