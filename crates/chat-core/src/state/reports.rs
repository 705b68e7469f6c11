//! The reducer's view of reports: the open ones (this participant's own; for
//! a host, everyone's), kept from the welcome and each report, dismissal and
//! deletion; reporting a message and dismissing its reports, checked by the
//! server's own rules first.

use chat_protocol::{rules, ClientFrame, MessageId, Report};

use super::{ChatState, Pending};
use crate::effect::{Change, Effect, OpError, OpId};

impl ChatState {
    /// The open reports as far as this client was told, oldest first.
    pub fn reports(&self) -> &[Report] {
        &self.reports
    }

    /// Whether this participant has an open report of message `id`.
    pub fn reported_by_me(&self, id: &MessageId) -> bool {
        let Some(me) = self.me.as_ref() else { return false };
        self.reports.iter().any(|report| &report.message_id == id && report.by == me.id)
    }

    /// Whether this participant may report `message`: someone else's, not
    /// deleted, not reported by them yet. Hosts act on messages instead.
    pub fn can_report(&self, message: &chat_protocol::Message) -> bool {
        let Some(me) = self.me.as_ref() else { return false };
        me.role == chat_protocol::Role::Participant
            && message.sender.id != me.id
            && message.content != chat_protocol::Content::Deleted
            && !self.reported_by_me(&message.id)
    }

    pub(super) fn on_reports(&mut self, reports: Vec<Report>, fx: &mut Vec<Effect>) {
        if self.reports != reports {
            self.reports = reports;
            fx.push(Effect::Changed(Change::Reports));
        }
    }

    pub(super) fn on_reported(&mut self, report: Report, fx: &mut Vec<Effect>) {
        let known = self.reports.iter().any(|kept| kept.message_id == report.message_id && kept.by == report.by);
        if !known {
            self.reports.push(report);
            fx.push(Effect::Changed(Change::Reports));
        }
    }

    /// A message's reports closed: dismissed, or the message deleted.
    pub(super) fn close_reports(&mut self, id: &MessageId, fx: &mut Vec<Effect>) {
        let before = self.reports.len();
        self.reports.retain(|report| &report.message_id != id);
        if self.reports.len() != before {
            fx.push(Effect::Changed(Change::Reports));
        }
    }

    pub(super) fn on_report(&mut self, op: OpId, id: MessageId, reason: &str, fx: &mut Vec<Effect>) {
        let sender = self.timeline.get(&id).map(|message| message.sender.id.clone());
        let checked = match (self.me.as_ref(), sender) {
            (Some(me), Some(sender)) => rules::check_report(me, &sender, reason).map(str::to_owned),
            _ => Ok(reason.trim().to_owned()),
        };
        let reason = match checked {
            Ok(reason) => reason,
            Err(violation) => {
                fx.push(Effect::Reject { op, error: OpError::from(violation) });
                return;
            }
        };
        if self.require_connected(op, fx) {
            self.request(Pending::Op(op), |req_id| ClientFrame::Report { req_id, id, reason }, fx);
        }
    }

    pub(super) fn on_dismiss_reports(&mut self, op: OpId, id: MessageId, fx: &mut Vec<Effect>) {
        if let Some(Err(violation)) = self.me.as_ref().map(rules::may_moderate) {
            fx.push(Effect::Reject { op, error: OpError::from(violation) });
            return;
        }
        if self.require_connected(op, fx) {
            self.request(Pending::Op(op), |req_id| ClientFrame::DismissReports { req_id, id }, fx);
        }
    }
}
