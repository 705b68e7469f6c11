//! Polls in SQLite: a row per poll, a ballot per voter, a count per option
//! and, unless the poll is anonymous, a row per voter and option chosen;
//! each creation, vote and closing with its event.

use async_trait::async_trait;
use chat_protocol::{MeetingId, ParticipantId, Poll, PollId, PollTally, PollVote};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::events::record_event;
use super::SqliteStore;
use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::moderation::payload;
use crate::store::polls::{as_seen, first_voters_query, options_json, tally_of, Ballot, PollColumns, Polls, Voted};
use crate::store::{StoreError, StoredEvent};

/// The meeting's polls (or the one named), oldest first, without their votes.
fn stored_polls(conn: &Connection, meeting: &MeetingId, only: Option<&PollId>) -> Result<Vec<Poll>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, question, options, anonymous, hide_votes, multiple, created_by, created_by_name, created_at, \
         closed FROM polls WHERE meeting_id = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map(params![meeting.0, only.map(|id| id.as_str())], |r| {
        Ok(PollColumns {
            id: r.get("id")?,
            question: r.get("question")?,
            options: r.get("options")?,
            anonymous: r.get("anonymous")?,
            hide_votes: r.get("hide_votes")?,
            multiple: r.get("multiple")?,
            created_by: r.get("created_by")?,
            created_by_name: r.get("created_by_name")?,
            created_at: r.get("created_at")?,
            closed: r.get("closed")?,
        })
    })?;
    rows.map(|columns| columns?.into_poll()).collect()
}

/// `poll`'s counts and first voters, for its `options` options.
fn tally(conn: &Connection, meeting: &MeetingId, poll: &PollId, options: usize) -> Result<PollTally, StoreError> {
    let counts: Vec<(u32, u32)> = conn
        .prepare_cached("SELECT option_index, count FROM poll_counts WHERE meeting_id = ?1 AND poll_id = ?2")?
        .query_map(params![meeting.0, poll.0], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let voters: Vec<(u32, PollVote)> = conn
        .prepare_cached(&first_voters_query("?1", "?2"))?
        .query_map(params![meeting.0, poll.0], |r| {
            Ok((r.get(0)?, PollVote { id: ParticipantId(r.get(1)?), name: r.get(2)? }))
        })?
        .collect::<Result<_, _>>()?;
    Ok(tally_of(poll, options, counts, voters))
}

/// `viewer`'s ballot in `poll`: `None` when they did not vote, else the options they chose.
fn ballot(
    conn: &Connection,
    meeting: &MeetingId,
    poll: &PollId,
    viewer: &ParticipantId,
) -> Result<Option<Vec<u32>>, StoreError> {
    let voted = conn
        .prepare_cached("SELECT 1 FROM poll_ballots WHERE meeting_id = ?1 AND poll_id = ?2 AND voter_id = ?3")?
        .query_row(params![meeting.0, poll.0, viewer.0], |_| Ok(()))
        .optional()?;
    if voted.is_none() {
        return Ok(None);
    }
    let chosen = conn
        .prepare_cached(
            "SELECT option_index FROM poll_choices WHERE meeting_id = ?1 AND poll_id = ?2 AND voter_id = ?3 \
             ORDER BY option_index",
        )?
        .query_map(params![meeting.0, poll.0, viewer.0], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(Some(chosen))
}

/// The meeting's polls (or the one named) as `viewer` sees them.
fn seen_polls(
    conn: &Connection,
    meeting: &MeetingId,
    only: Option<&PollId>,
    viewer: &ParticipantId,
) -> Result<Vec<Poll>, StoreError> {
    let mut seen = Vec::new();
    for poll in stored_polls(conn, meeting, only)? {
        let counted = tally(conn, meeting, &poll.id, poll.options.len())?;
        let ballot = ballot(conn, meeting, &poll.id, viewer)?;
        seen.push(as_seen(poll, &counted, viewer, ballot));
    }
    Ok(seen)
}

#[async_trait]
impl Polls for SqliteStore {
    async fn polls(&self, meeting: &MeetingId, viewer: &ParticipantId) -> Result<Vec<Poll>, StoreError> {
        let (meeting, viewer) = (meeting.clone(), viewer.clone());
        self.run(move |conn| seen_polls(conn, &meeting, None, &viewer)).await
    }

    async fn poll(&self, meeting: &MeetingId, id: &PollId, viewer: &ParticipantId) -> Result<Option<Poll>, StoreError> {
        let (meeting, id, viewer) = (meeting.clone(), id.clone(), viewer.clone());
        self.run(move |conn| Ok(seen_polls(conn, &meeting, Some(&id), &viewer)?.pop())).await
    }

    async fn create_poll(&self, meeting: &MeetingId, poll: &Poll) -> Result<StoredEvent, StoreError> {
        let (meeting, poll) = (meeting.clone(), poll.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO polls (meeting_id, id, question, options, anonymous, hide_votes, multiple, created_by, \
                 created_by_name, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    meeting.0,
                    poll.id.0,
                    poll.question,
                    options_json(&poll)?,
                    poll.anonymous,
                    poll.hide_votes,
                    poll.multiple,
                    poll.created_by_user_id.0,
                    poll.created_by,
                    poll.time
                ],
            )?;
            let payload = payload(&poll)?;
            let (actor, time) = (poll.created_by_user_id, poll.time);
            let seq = record_event(&tx, &meeting, EventKind::PollCreated, None, &actor, time, Some(&payload))?;
            tx.commit()?;
            let record = EventRecord { seq, time, kind: EventKind::PollCreated, actor, payload: Some(payload) };
            build_event(record, None, Vec::new())
        })
        .await
    }

    async fn vote(
        &self,
        meeting: &MeetingId,
        poll: &PollId,
        voter: &PollVote,
        options: &[u32],
        at: i64,
    ) -> Result<Ballot, StoreError> {
        let (meeting, poll, voter, options) = (meeting.clone(), poll.clone(), voter.clone(), options.to_vec());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(stored) = stored_polls(&tx, &meeting, Some(&poll))?.pop() else { return Ok(Ballot::NoPoll) };
            if stored.closed {
                return Ok(Ballot::Closed);
            }
            let cast = tx.execute(
                "INSERT OR IGNORE INTO poll_ballots (meeting_id, poll_id, voter_id) VALUES (?1, ?2, ?3)",
                params![meeting.0, poll.0, voter.id.0],
            )?;
            if cast == 0 {
                return Ok(Ballot::AlreadyVoted);
            }
            for option in &options {
                tx.execute(
                    "INSERT INTO poll_counts (meeting_id, poll_id, option_index, count) VALUES (?1, ?2, ?3, 1) \
                     ON CONFLICT (meeting_id, poll_id, option_index) DO UPDATE SET count = count + 1",
                    params![meeting.0, poll.0, option],
                )?;
                if !stored.anonymous {
                    tx.execute(
                        "INSERT INTO poll_choices (meeting_id, poll_id, option_index, voter_id, voter_name, time) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![meeting.0, poll.0, option, voter.id.0, voter.name, at],
                    )?;
                }
            }
            let voted = Voted { poll_id: poll, options: if stored.anonymous { Vec::new() } else { options } };
            let payload = payload(&voted)?;
            let seq = record_event(&tx, &meeting, EventKind::PollVoted, None, &voter.id, at, Some(&payload))?;
            tx.commit()?;
            let record =
                EventRecord { seq, time: at, kind: EventKind::PollVoted, actor: voter.id, payload: Some(payload) };
            Ok(Ballot::Stored(Box::new(build_event(record, None, Vec::new())?)))
        })
        .await
    }

    async fn close_poll(
        &self,
        meeting: &MeetingId,
        poll: &PollId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let (meeting, poll, by) = (meeting.clone(), poll.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(stored) = stored_polls(&tx, &meeting, Some(&poll))?.pop() else { return Ok(None) };
            let closed = tx.execute(
                "UPDATE polls SET closed = 1 WHERE meeting_id = ?1 AND id = ?2 AND NOT closed",
                params![meeting.0, poll.0],
            )?;
            if closed == 0 {
                return Ok(None);
            }
            let payload = payload(&tally(&tx, &meeting, &poll, stored.options.len())?)?;
            let seq = record_event(&tx, &meeting, EventKind::PollClosed, None, &by, at, Some(&payload))?;
            tx.commit()?;
            let record = EventRecord { seq, time: at, kind: EventKind::PollClosed, actor: by, payload: Some(payload) };
            Ok(Some(build_event(record, None, Vec::new())?))
        })
        .await
    }
}
