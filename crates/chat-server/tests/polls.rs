//! Polls over real sockets: hosts create and close them; everyone votes once
//! while one is open (a vote is an event only its voter hears; counts reach
//! everyone in coalesced tallies); anonymous polls keep no tie between a voter
//! and an option; hidden counts reach only the hosts until the poll closes;
//! welcomes carry every poll as the joiner sees it, across restarts.

mod support;

use chat_protocol::{AckResult, ClientFrame, ErrorCode, Event, Poll, PollId, Role, ServerFrame};
use support::*;

async fn create(client: &mut Client, options: &[&str], flags: (bool, bool, bool)) -> Answer {
    let (anonymous, hide_votes, multiple) = flags;
    client
        .request(|req_id| ClientFrame::CreatePoll {
            req_id,
            question: "Lunch?".into(),
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            anonymous,
            hide_votes,
            multiple,
        })
        .await
}

async fn vote(client: &mut Client, poll: &PollId, options: &[u32]) -> Answer {
    client.request(|req_id| ClientFrame::Vote { req_id, poll_id: poll.clone(), options: options.to_vec() }).await
}

async fn close(client: &mut Client, poll: &PollId) -> Answer {
    client.request(|req_id| ClientFrame::ClosePoll { req_id, poll_id: poll.clone() }).await
}

/// The poll the next event creates.
async fn created(client: &mut Client) -> Poll {
    let event = client.next_event().await;
    let Event::PollCreated { poll } = event.event else { panic!("{event:?}") };
    poll
}

fn polls_in(client: &Client) -> Vec<Poll> {
    let ServerFrame::Welcome { polls, .. } = &client.welcome else { panic!("a welcome") };
    polls.clone()
}

fn counts(poll: &Poll) -> Vec<u32> {
    poll.options.iter().map(|o| o.count).collect()
}

#[tokio::test]
async fn a_host_asks_everyone_votes_once_and_counts_arrive_coalesced_until_it_closes() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut hana = Client::connect(&server, "hana", Role::Host).await;
    let mut gus = Client::connect(&server, "gus", Role::Participant).await;
    let mut ivy = Client::connect(&server, "ivy", Role::Participant).await;

    assert_eq!(create(&mut gus, &["a", "b"], (false, false, false)).await.error().code, ErrorCode::Forbidden);
    assert_eq!(create(&mut hana, &["only one"], (false, false, false)).await.error().code, ErrorCode::InvalidRequest);
    let AckResult::Done { seq: Some(seq) } =
        create(&mut hana, &["Noodles", "Salad", "Later"], (false, false, false)).await.ack()
    else {
        panic!("a seq")
    };
    let poll = created(&mut hana).await;
    assert_eq!(
        (poll.question.as_str(), poll.created_by.as_str(), poll.created_by_user_id.as_str()),
        ("Lunch?", "hana name", "hana")
    );
    assert_eq!(counts(&poll), [0, 0, 0]);
    assert_eq!(created(&mut gus).await, poll);
    assert_eq!(created(&mut ivy).await, poll);
    assert!(seq > 0);

    // A vote: its voter hears it with a seq; everyone hears the counts, coalesced.
    assert!(matches!(vote(&mut gus, &poll.id, &[1]).await.ack(), AckResult::Done { seq: Some(_) }));
    let mine = gus.next_event().await;
    assert!(matches!(&mine.event, Event::PollVoted { poll_id, options } if poll_id == &poll.id && options == &[1]));
    for client in [&mut hana, &mut gus, &mut ivy] {
        let tally = client.next_tally().await;
        assert_eq!(tally.poll_id, poll.id);
        assert_eq!(tally.options.iter().map(|o| o.count).collect::<Vec<_>>(), [0, 1, 0]);
        assert_eq!(tally.options[1].votes[0].name, "gus name", "who voted, for a poll that is not anonymous");
    }
    hana.assert_no_event().await;
    ivy.assert_no_event().await;

    // Bad ballots, each refused in its own words.
    assert_eq!(vote(&mut gus, &poll.id, &[0]).await.error().code, ErrorCode::AlreadyVoted);
    assert_eq!(vote(&mut ivy, &poll.id, &[3]).await.error().code, ErrorCode::InvalidRequest, "no such option");
    assert_eq!(vote(&mut ivy, &poll.id, &[0, 1]).await.error().code, ErrorCode::InvalidRequest, "one choice only");
    assert_eq!(vote(&mut ivy, &poll.id, &[]).await.error().code, ErrorCode::InvalidRequest);
    assert_eq!(vote(&mut ivy, &"nope".into(), &[0]).await.error().code, ErrorCode::NotFound);
    assert_eq!(close(&mut ivy, &poll.id).await.error().code, ErrorCode::Forbidden);

    // Twenty quick votes make far fewer tallies than votes.
    let mut voters = Vec::new();
    for i in 0..20 {
        let mut voter = Client::connect(&server, &format!("v{i}"), Role::Participant).await;
        vote(&mut voter, &poll.id, &[2]).await.ack();
        voters.push(voter);
    }
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let told = hana.tallies_so_far().await;
    assert!(!told.is_empty() && told.len() < 10, "{} tallies for 20 votes", told.len());
    let last = told.last().unwrap();
    assert_eq!(last.options[2].count, 20);
    assert_eq!(last.options[2].votes.len(), chat_protocol::rules::POLL_VOTERS_SHOWN, "the first voters, and a count");

    // Closed: everyone hears the final counts; no more votes.
    assert!(matches!(close(&mut hana, &poll.id).await.ack(), AckResult::Done { seq: Some(_) }));
    for client in [&mut hana, &mut gus, &mut ivy] {
        let event = client.next_event().await;
        let Event::PollClosed { by, tally } = event.event else { panic!("{event:?}") };
        assert_eq!((by.as_str(), tally.options.iter().map(|o| o.count).collect::<Vec<_>>()), ("hana", vec![0, 1, 20]));
    }
    assert_eq!(vote(&mut ivy, &poll.id, &[0]).await.error().code, ErrorCode::PollClosed);
    assert_eq!(close(&mut hana, &poll.id).await.error().code, ErrorCode::PollClosed);

    // After a restart, each welcome has the poll as its joiner sees it.
    drop(voters);
    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    let gus = Client::connect(&server, "gus", Role::Participant).await;
    let ivy = Client::connect(&server, "ivy", Role::Participant).await;
    let [seen_by_gus] = polls_in(&gus).try_into().expect("one poll");
    assert!(seen_by_gus.closed);
    assert_eq!(
        (counts(&seen_by_gus), seen_by_gus.voted.clone(), seen_by_gus.chosen.clone()),
        (vec![0, 1, 20], vec!["gus".into()], vec![1])
    );
    let [seen_by_ivy] = polls_in(&ivy).try_into().expect("one poll");
    assert!(seen_by_ivy.voted.is_empty() && seen_by_ivy.chosen.is_empty(), "ivy did not vote");
    server.stop().await;
}

#[tokio::test]
async fn an_anonymous_poll_ties_no_one_to_an_option_and_hidden_counts_reach_only_hosts_until_it_closes() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut hana = Client::connect(&server, "hana", Role::Host).await;
    let mut gus = Client::connect(&server, "gus", Role::Participant).await;
    let mut ivy = Client::connect(&server, "ivy", Role::Participant).await;
    create(&mut hana, &["Yes", "No", "Maybe"], (true, true, true)).await.ack();
    let poll = created(&mut hana).await;
    assert!(poll.anonymous && poll.hide_votes && poll.multiple);
    created(&mut gus).await;
    created(&mut ivy).await;

    vote(&mut gus, &poll.id, &[2, 0]).await.ack();
    let mine = gus.next_event().await;
    assert!(matches!(&mine.event, Event::PollVoted { options, .. } if options.is_empty()), "{mine:?}");
    let tally = hana.next_tally().await;
    assert_eq!(tally.options.iter().map(|o| o.count).collect::<Vec<_>>(), [1, 0, 1], "hosts see hidden counts");
    assert!(tally.options.iter().all(|o| o.votes.is_empty()), "nobody is named");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(ivy.tallies_so_far().await.is_empty(), "hidden from participants until it closes");
    assert!(gus.tallies_so_far().await.is_empty());
    let stored = stored_count(&server, "SELECT COUNT(*) FROM poll_choices").await;
    assert_eq!(stored, 0, "no row ties a voter to an option");

    // Joining meanwhile: a participant sees no counts, a host does; the voter knows they voted.
    let late = Client::connect(&server, "ivy", Role::Participant).await;
    assert_eq!(counts(&polls_in(&late)[0]), [0, 0, 0]);
    let host = Client::connect(&server, "hana", Role::Host).await;
    assert_eq!(counts(&polls_in(&host)[0]), [1, 0, 1]);
    let voter = Client::connect(&server, "gus", Role::Participant).await;
    let seen = &polls_in(&voter)[0];
    assert_eq!((seen.voted.clone(), seen.chosen.clone(), counts(seen)), (vec!["gus".into()], vec![], vec![0, 0, 0]));

    close(&mut hana, &poll.id).await.ack();
    let event = ivy.next_event().await;
    let Event::PollClosed { tally, .. } = event.event else { panic!("{event:?}") };
    assert_eq!(tally.options.iter().map(|o| o.count).collect::<Vec<_>>(), [1, 0, 1], "shown once closed");
    assert_eq!(counts(&polls_in(&Client::connect(&server, "ivy", Role::Participant).await)[0]), [1, 0, 1]);
    server.stop().await;
}
