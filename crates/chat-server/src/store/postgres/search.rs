//! Search on PostgreSQL: a generated `tsvector` of message text under a GIN
//! index (migration 4), read with the same visibility filter as history,
//! each search stopped by PostgreSQL past [`SEARCH_BUDGET`].

use async_trait::async_trait;
use chat_protocol::rules::{search_words, MIN_PREFIX_CHARS};
use chat_protocol::{MeetingId, ParticipantId};
use tokio_postgres::GenericClient;

use super::reads::newest_first;
use super::rows::corrupt;
use super::PostgresStore;
use crate::store::columns::{visible, MESSAGE_COLUMNS, MESSAGE_FROM};
use crate::store::MessageSearch;
use crate::store::{MessagePage, PageQuery, StoreError, SEARCH_BUDGET};

/// The query's words split as the text was (the `simple` configuration),
/// each a prefix (`'word':*`, its quotes and backslashes escaped) unless
/// shorter than [`MIN_PREFIX_CHARS`], all required.
const MATCH_QUERY: &str = r"to_tsquery('simple', (SELECT string_agg(
    '''' || replace(replace(w, '\', '\\'), '''', '''''') || ''''
        || CASE WHEN char_length(w) >= $7 THEN ':*' ELSE '' END, ' & ')
    FROM unnest(tsvector_to_array(to_tsvector('simple', $6))) AS w))";

/// [`search`] in a transaction whose statements PostgreSQL stops past
/// [`SEARCH_BUDGET`] (`SET LOCAL` scopes it to this search), a stopped one
/// answered [`StoreError::SearchTooCostly`].
pub async fn search_within_budget(
    client: &mut tokio_postgres::Client,
    meeting: &MeetingId,
    viewer: &ParticipantId,
    query: &str,
    page: &PageQuery,
) -> Result<MessagePage, StoreError> {
    let tx = client.transaction().await?;
    tx.batch_execute(&format!("SET LOCAL statement_timeout = {}", SEARCH_BUDGET.as_millis())).await?;
    let page = search(&tx, meeting, viewer, query, page).await.map_err(|error| match &error {
        StoreError::Engine(source)
            if source
                .downcast_ref::<tokio_postgres::Error>()
                .and_then(tokio_postgres::Error::code)
                .is_some_and(|code| *code == tokio_postgres::error::SqlState::QUERY_CANCELED) =>
        {
            StoreError::SearchTooCostly
        }
        _ => error,
    })?;
    tx.commit().await?;
    Ok(page)
}

/// Hits for `viewer` below `before`, newest first.
pub async fn search(
    client: &impl GenericClient,
    meeting: &MeetingId,
    viewer: &ParticipantId,
    query: &str,
    &PageQuery { before, limit, ref with }: &PageQuery,
) -> Result<MessagePage, StoreError> {
    let words = search_words(query).map(|word| word.text).collect::<Vec<_>>().join(" ");
    let min_prefix = i32::try_from(MIN_PREFIX_CHARS).map_err(corrupt)?;
    let before = before.map_or(Ok(i64::MAX), i64::try_from).map_err(corrupt)?;
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM {MESSAGE_FROM} \
         WHERE m.search @@ {MATCH_QUERY} AND m.meeting_id = $1 AND m.seq < $2 AND NOT m.deleted AND {} \
         ORDER BY m.seq DESC LIMIT $4",
        visible("$3", "$5::TEXT")
    );
    let fetch = i64::from(limit) + 1;
    let with = with.as_ref().map(|p| p.0.as_str());
    let rows = client.query(&sql, &[&meeting.0, &before, &viewer.0, &fetch, &with, &words, &min_prefix]).await?;
    newest_first(client, &rows, viewer, limit).await
}

#[async_trait]
impl MessageSearch for PostgresStore {
    async fn search(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        query: &str,
        page: &PageQuery,
    ) -> Result<MessagePage, StoreError> {
        let mut client = self.client().await?;
        search_within_budget(super::raw(&mut client), meeting, viewer, query, page).await
    }
}
