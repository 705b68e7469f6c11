//! Polls in PostgreSQL: a row per poll, a ballot per voter (its key keeps
//! one per voter whichever node took it), a count per option and, unless the
//! poll is anonymous, a row per voter and option chosen; each creation, vote
//! and closing with its event, under the meeting's lock.

use async_trait::async_trait;
use chat_protocol::{MeetingId, ParticipantId, Poll, PollId, PollTally, PollVote};
use tokio_postgres::GenericClient;

use super::writes::{lock_meeting, record_event};
use super::PostgresStore;
use crate::store::columns::corrupt;
use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::moderation::payload;
use crate::store::polls::{as_seen, first_voters_query, options_json, tally_of, Ballot, PollColumns, Polls, Voted};
use crate::store::{StoreError, StoredEvent};

/// An option's index as stored.
fn index(option: u32) -> Result<i32, StoreError> {
    i32::try_from(option).map_err(corrupt)
}

/// An option's index read back.
fn read_index(stored: i32) -> Result<u32, StoreError> {
    u32::try_from(stored).map_err(corrupt)
}

/// The meeting's polls (or the one named), oldest first, without their votes.
async fn stored_polls(
    client: &impl GenericClient,
    meeting: &MeetingId,
    only: Option<&PollId>,
) -> Result<Vec<Poll>, StoreError> {
    let rows = client
        .query(
            "SELECT id, question, options, anonymous, hide_votes, multiple, created_by, created_by_name, \
             created_at, closed FROM polls WHERE meeting_id = $1 AND ($2::TEXT IS NULL OR id = $2) \
             ORDER BY created_at, id",
            &[&meeting.0, &only.map(|id| id.as_str())],
        )
        .await?;
    rows.iter()
        .map(|r| {
            PollColumns {
                id: r.try_get("id")?,
                question: r.try_get("question")?,
                options: r.try_get("options")?,
                anonymous: r.try_get("anonymous")?,
                hide_votes: r.try_get("hide_votes")?,
                multiple: r.try_get("multiple")?,
                created_by: r.try_get("created_by")?,
                created_by_name: r.try_get("created_by_name")?,
                created_at: r.try_get("created_at")?,
                closed: r.try_get("closed")?,
            }
            .into_poll()
        })
        .collect()
}

/// `poll`'s counts and first voters, for its `options` options.
async fn tally(
    client: &impl GenericClient,
    meeting: &MeetingId,
    poll: &PollId,
    options: usize,
) -> Result<PollTally, StoreError> {
    let counts = client
        .query(
            "SELECT option_index, count FROM poll_counts WHERE meeting_id = $1 AND poll_id = $2",
            &[&meeting.0, &poll.0],
        )
        .await?
        .iter()
        .map(|r| Ok((read_index(r.try_get(0)?)?, read_index(r.try_get(1)?)?)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    let voters = client
        .query(&first_voters_query("$1", "$2"), &[&meeting.0, &poll.0])
        .await?
        .iter()
        .map(|r| Ok((read_index(r.try_get(0)?)?, PollVote { id: ParticipantId(r.try_get(1)?), name: r.try_get(2)? })))
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(tally_of(poll, options, counts, voters))
}

/// `viewer`'s ballot in `poll`: `None` when they did not vote, else the options they chose.
async fn ballot(
    client: &impl GenericClient,
    meeting: &MeetingId,
    poll: &PollId,
    viewer: &ParticipantId,
) -> Result<Option<Vec<u32>>, StoreError> {
    let voted = client
        .query_opt(
            "SELECT 1 FROM poll_ballots WHERE meeting_id = $1 AND poll_id = $2 AND voter_id = $3",
            &[&meeting.0, &poll.0, &viewer.0],
        )
        .await?;
    if voted.is_none() {
        return Ok(None);
    }
    let chosen = client
        .query(
            "SELECT option_index FROM poll_choices WHERE meeting_id = $1 AND poll_id = $2 AND voter_id = $3 \
             ORDER BY option_index",
            &[&meeting.0, &poll.0, &viewer.0],
        )
        .await?
        .iter()
        .map(|r| read_index(r.try_get(0)?))
        .collect::<Result<_, _>>()?;
    Ok(Some(chosen))
}

/// The meeting's polls (or the one named) as `viewer` sees them.
async fn seen_polls(
    client: &impl GenericClient,
    meeting: &MeetingId,
    only: Option<&PollId>,
    viewer: &ParticipantId,
) -> Result<Vec<Poll>, StoreError> {
    let mut seen = Vec::new();
    for poll in stored_polls(client, meeting, only).await? {
        let counted = tally(client, meeting, &poll.id, poll.options.len()).await?;
        let ballot = ballot(client, meeting, &poll.id, viewer).await?;
        seen.push(as_seen(poll, &counted, viewer, ballot));
    }
    Ok(seen)
}

#[async_trait]
impl Polls for PostgresStore {
    async fn polls(&self, meeting: &MeetingId, viewer: &ParticipantId) -> Result<Vec<Poll>, StoreError> {
        seen_polls(&**self.client().await?, meeting, None, viewer).await
    }

    async fn poll(&self, meeting: &MeetingId, id: &PollId, viewer: &ParticipantId) -> Result<Option<Poll>, StoreError> {
        Ok(seen_polls(&**self.client().await?, meeting, Some(id), viewer).await?.pop())
    }

    async fn create_poll(&self, meeting: &MeetingId, poll: &Poll) -> Result<StoredEvent, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        tx.execute(
            "INSERT INTO polls (meeting_id, id, question, options, anonymous, hide_votes, multiple, created_by, \
             created_by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[
                &meeting.0,
                &poll.id.0,
                &poll.question,
                &options_json(poll)?,
                &poll.anonymous,
                &poll.hide_votes,
                &poll.multiple,
                &poll.created_by_user_id.0,
                &poll.created_by,
                &poll.time,
            ],
        )
        .await?;
        let payload = payload(poll)?;
        let (actor, time) = (poll.created_by_user_id.clone(), poll.time);
        let seq = record_event(&tx, meeting, EventKind::PollCreated, None, &actor, time, Some(&payload)).await?;
        tx.commit().await?;
        let record = EventRecord { seq, time, kind: EventKind::PollCreated, actor, payload: Some(payload) };
        build_event(record, None, Vec::new())
    }

    async fn vote(
        &self,
        meeting: &MeetingId,
        poll: &PollId,
        voter: &PollVote,
        options: &[u32],
        at: i64,
    ) -> Result<Ballot, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        let Some(stored) = stored_polls(&tx, meeting, Some(poll)).await?.pop() else { return Ok(Ballot::NoPoll) };
        if stored.closed {
            return Ok(Ballot::Closed);
        }
        let cast = tx
            .execute(
                "INSERT INTO poll_ballots (meeting_id, poll_id, voter_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&meeting.0, &poll.0, &voter.id.0],
            )
            .await?;
        if cast == 0 {
            return Ok(Ballot::AlreadyVoted);
        }
        for option in options {
            let option = index(*option)?;
            tx.execute(
                "INSERT INTO poll_counts (meeting_id, poll_id, option_index, count) VALUES ($1, $2, $3, 1) \
                 ON CONFLICT (meeting_id, poll_id, option_index) DO UPDATE SET count = poll_counts.count + 1",
                &[&meeting.0, &poll.0, &option],
            )
            .await?;
            if !stored.anonymous {
                tx.execute(
                    "INSERT INTO poll_choices (meeting_id, poll_id, option_index, voter_id, voter_name, time) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    &[&meeting.0, &poll.0, &option, &voter.id.0, &voter.name, &at],
                )
                .await?;
            }
        }
        let options = if stored.anonymous { Vec::new() } else { options.to_vec() };
        let payload = payload(&Voted { poll_id: poll.clone(), options })?;
        let seq = record_event(&tx, meeting, EventKind::PollVoted, None, &voter.id, at, Some(&payload)).await?;
        tx.commit().await?;
        let actor = voter.id.clone();
        let record = EventRecord { seq, time: at, kind: EventKind::PollVoted, actor, payload: Some(payload) };
        Ok(Ballot::Stored(Box::new(build_event(record, None, Vec::new())?)))
    }

    async fn close_poll(
        &self,
        meeting: &MeetingId,
        poll: &PollId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        let Some(stored) = stored_polls(&tx, meeting, Some(poll)).await?.pop() else { return Ok(None) };
        let closed = tx
            .execute(
                "UPDATE polls SET closed = TRUE WHERE meeting_id = $1 AND id = $2 AND NOT closed",
                &[&meeting.0, &poll.0],
            )
            .await?;
        if closed == 0 {
            return Ok(None);
        }
        let payload = payload(&tally(&tx, meeting, poll, stored.options.len()).await?)?;
        let seq = record_event(&tx, meeting, EventKind::PollClosed, None, by, at, Some(&payload)).await?;
        tx.commit().await?;
        let record =
            EventRecord { seq, time: at, kind: EventKind::PollClosed, actor: by.clone(), payload: Some(payload) };
        Ok(Some(build_event(record, None, Vec::new())?))
    }
}
