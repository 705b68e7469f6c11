//! Reports over real sockets: anyone reports someone else's message once,
//! with a reason; only the reporter and the hosts hear of it; hosts see every
//! open report in their welcome (a participant, their own), across restarts;
//! a dismissal (hosts and apps only) or the message's deletion closes them.

mod support;

use chat_protocol::{AckResult, ClientFrame, DeleteScope, ErrorCode, Event, MessageId, Role, ServerFrame};
use support::*;

async fn report(client: &mut Client, id: &MessageId, reason: &str) -> Answer {
    client.request(|req_id| ClientFrame::Report { req_id, id: id.clone(), reason: reason.into() }).await
}

async fn dismiss(client: &mut Client, id: &MessageId) -> Answer {
    client.request(|req_id| ClientFrame::DismissReports { req_id, id: id.clone() }).await
}

fn reports_in(client: &Client) -> Vec<chat_protocol::Report> {
    let ServerFrame::Welcome { reports, .. } = &client.welcome else { panic!("a welcome") };
    reports.clone()
}

#[tokio::test]
async fn a_report_reaches_only_the_hosts_and_the_reporter_and_stays_open_until_dismissed_or_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut hana = Client::connect(&server, "hana", Role::Host).await;
    let mut gus = Client::connect(&server, "gus", Role::Participant).await;
    let mut ivy = Client::connect(&server, "ivy", Role::Participant).await;
    let spam = sent_id(&gus.send_text("g1", "buy now").await.ack());
    let own = sent_id(&ivy.send_text("i1", "please stop").await.ack());
    for client in [&mut hana, &mut gus, &mut ivy] {
        while !matches!(client.next_event().await.event, Event::MessageCreated { ref message } if message.id == own) {}
    }

    assert_eq!(report(&mut ivy, &own, "mine").await.error().code, ErrorCode::InvalidRequest, "never one's own");
    assert_eq!(report(&mut ivy, &spam, "  ").await.error().code, ErrorCode::InvalidRequest, "a reason is needed");
    let long = "x".repeat(chat_protocol::rules::MAX_REPORT_REASON_CHARS + 1);
    assert_eq!(report(&mut ivy, &spam, &long).await.error().code, ErrorCode::InvalidRequest);
    assert_eq!(report(&mut ivy, &"nope".into(), "spam").await.error().code, ErrorCode::NotFound);
    let AckResult::Done { seq: Some(seq) } = report(&mut ivy, &spam, " spam link ").await.ack() else {
        panic!("a seq")
    };
    let told = hana.next_event().await;
    let Event::MessageReported { report: told_report } = told.event else { panic!("{told:?}") };
    assert_eq!(
        (told.seq, &told_report.message_id, told_report.by.as_str(), told_report.reason.as_str()),
        (seq, &spam, "ivy", "spam link")
    );
    assert_eq!(told_report.by_name, "ivy name", "the reporter's name, for hosts who do not list them");
    assert_eq!(told_report.time, told.time);
    assert!(matches!(ivy.next_event().await.event, Event::MessageReported { .. }), "the reporter hears of it");
    gus.assert_no_event().await;
    assert_eq!(report(&mut ivy, &spam, "again").await.ack(), AckResult::Done { seq: None }, "once per message");

    // Welcomes: a host sees every open report, the reporter theirs, the reported nothing; a restart keeps them.
    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    let mut hana = Client::connect(&server, "hana", Role::Host).await;
    let mut gus = Client::connect(&server, "gus", Role::Participant).await;
    let mut ivy = Client::connect(&server, "ivy", Role::Participant).await;
    let open = reports_in(&hana);
    assert_eq!(open.len(), 1);
    assert_eq!((&open[0].message_id, open[0].by.as_str(), open[0].reason.as_str()), (&spam, "ivy", "spam link"));
    assert_eq!(reports_in(&ivy), open);
    assert!(reports_in(&gus).is_empty());

    // Dismissed by a host (only): the hosts hear of it; a second dismissal changes nothing.
    assert_eq!(dismiss(&mut ivy, &spam).await.error().code, ErrorCode::Forbidden);
    assert!(matches!(dismiss(&mut hana, &spam).await.ack(), AckResult::Done { seq: Some(_) }));
    assert!(matches!(hana.next_event().await.event, Event::ReportsDismissed { .. }));
    ivy.assert_no_event().await;
    assert_eq!(dismiss(&mut hana, &spam).await.ack(), AckResult::Done { seq: None });
    assert!(reports_in(&Client::connect(&server, "hana", Role::Host).await).is_empty());

    // Reported again, then deleted: the report closes with the message, and a tombstone is not reported.
    report(&mut ivy, &spam, "still spam").await.ack();
    assert_eq!(reports_in(&Client::connect(&server, "hana", Role::Host).await).len(), 1);
    gus.request(|req_id| ClientFrame::Delete { req_id, id: spam.clone(), scope: DeleteScope::Everyone }).await.ack();
    assert!(reports_in(&Client::connect(&server, "hana", Role::Host).await).is_empty());
    assert_eq!(report(&mut hana, &spam, "gone").await.error().code, ErrorCode::MessageDeleted);
    server.stop().await;
}
