//! Polls as the client holds them: the welcome's polls, a new poll, this
//! participant's own vote and everyone's coalesced counts, a closing with
//! the final counts; a ballot or a poll the server would refuse is refused
//! at once with the server's code, and the one it accepts goes out as a frame.

mod support;

use chat_core::{Change, ChatState, Effect, Input, Intent, NewPoll};
use chat_protocol::{ClientFrame, Event, Poll, PollOption, PollTally, PollVote, Role, ServerFrame};
use support::*;

fn lunch(voted: &[&str]) -> Poll {
    Poll {
        id: "p1".into(),
        question: "Lunch?".into(),
        options: ["Noodles", "Salad"].map(|text| PollOption { text: text.into(), ..Default::default() }).to_vec(),
        anonymous: false,
        hide_votes: false,
        multiple: false,
        created_by: "Hal".into(),
        created_by_user_id: "hal".into(),
        voted: voted.iter().map(|id| (*id).into()).collect(),
        chosen: Vec::new(),
        closed: false,
        time: NOW,
    }
}

fn tally(counts: [u32; 2]) -> PollTally {
    let option = |count| PollOption {
        votes: (0..count).map(|i| PollVote { id: format!("v{i}").into(), name: format!("V{i}") }).collect(),
        count,
        ..Default::default()
    };
    PollTally { poll_id: "p1".into(), options: counts.map(option).to_vec() }
}

fn counts(state: &ChatState) -> Vec<u32> {
    state.polls()[0].options.iter().map(|option| option.count).collect()
}

fn polls_changed(fx: &[Effect]) -> Option<Option<String>> {
    fx.iter().find_map(|effect| match effect {
        Effect::Changed(Change::Polls { new }) => Some(new.as_ref().map(|id| id.to_string())),
        _ => None,
    })
}

fn vote(state: &mut ChatState, op: u64, options: Vec<u32>) -> Vec<Effect> {
    state.apply(Input::Intent(Intent::Vote { op, poll_id: "p1".into(), options }), NOW)
}

fn refused(fx: &[Effect]) -> Option<&str> {
    match fx {
        [Effect::Reject { error, .. }] => Some(error.code.as_str()),
        _ => None,
    }
}

#[test]
fn a_poll_arrives_is_voted_in_counted_and_closed() {
    let mut state = joined("ann", Role::Participant, 0);
    let fx = state.apply(event(1, Event::PollCreated { poll: lunch(&[]) }), NOW);
    assert_eq!(polls_changed(&fx), Some(Some("p1".into())), "told as a new poll");
    assert_eq!(state.polls().len(), 1);

    let fx = vote(&mut state, 1, vec![1]);
    let [ClientFrame::Vote { poll_id, options, .. }] = sent_frames(&fx)[..] else { panic!("{fx:?}") };
    assert_eq!((poll_id.as_str(), options.as_slice()), ("p1", &[1][..]));
    state.apply(event(2, Event::PollVoted { poll_id: "p1".into(), options: vec![1] }), NOW);
    let mine = &state.polls()[0];
    assert_eq!((mine.voted.clone(), mine.chosen.clone()), (vec!["ann".into()], vec![1]));
    assert_eq!(refused(&vote(&mut state, 2, vec![0])), Some("already_voted"), "refused before a round trip");

    let fx = state.apply(Input::Frame(ServerFrame::PollTally(tally([3, 5]))), NOW);
    assert_eq!(polls_changed(&fx), Some(None));
    assert_eq!(counts(&state), [3, 5]);
    assert_eq!(state.polls()[0].options[1].votes.len(), 5);
    assert_eq!(state.polls()[0].chosen, [1], "a tally keeps one's own choice");

    state.apply(event(3, Event::PollClosed { by: "hal".into(), tally: tally([4, 6]) }), NOW);
    assert!(state.polls()[0].closed);
    assert_eq!(counts(&state), [4, 6], "the final counts");
}

#[test]
fn ballots_and_polls_the_server_would_refuse_are_refused_at_once() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(event(1, Event::PollCreated { poll: lunch(&[]) }), NOW);
    assert_eq!(refused(&vote(&mut state, 1, vec![0, 1])), Some("invalid_request"), "one option only");
    assert_eq!(refused(&vote(&mut state, 2, vec![2])), Some("invalid_request"), "an option it lacks");
    assert_eq!(refused(&vote(&mut state, 3, Vec::new())), Some("invalid_request"));
    let ask = NewPoll { question: "Dinner?".into(), options: vec!["Yes".into(), "No".into()], ..NewPoll::default() };
    let fx = state.apply(Input::Intent(Intent::CreatePoll { op: 4, poll: ask.clone() }), NOW);
    assert_eq!(refused(&fx), Some("forbidden"), "a participant asks no poll");
    state.apply(event(2, Event::PollClosed { by: "hal".into(), tally: tally([0, 0]) }), NOW);
    assert_eq!(refused(&vote(&mut state, 5, vec![0])), Some("poll_closed"));

    let mut host = joined("hal", Role::Host, 0);
    let fx = host.apply(Input::Intent(Intent::CreatePoll { op: 1, poll: ask }), NOW);
    let [ClientFrame::CreatePoll { question, options, .. }] = sent_frames(&fx)[..] else { panic!("{fx:?}") };
    assert_eq!((question.as_str(), options.len()), ("Dinner?", 2));
    let one = NewPoll { question: "Dinner?".into(), options: vec!["Yes".into()], ..NewPoll::default() };
    let fx = host.apply(Input::Intent(Intent::CreatePoll { op: 2, poll: one }), NOW);
    assert_eq!(refused(&fx), Some("invalid_request"));
    host.apply(event(1, Event::PollCreated { poll: lunch(&[]) }), NOW);
    assert_eq!(refused(&host.apply(Input::Intent(Intent::ClosePoll { op: 3, poll_id: "p1".into() }), NOW)), None);
}

#[test]
fn the_welcome_brings_the_polls_as_this_participant_sees_them() {
    let mut state = ChatState::new();
    state.apply(Input::Connecting, NOW);
    let ServerFrame::Welcome { v, me, meeting_id, head_seq, settings, participant_count, participants, limits, .. } =
        chat_protocol::testing::welcome("ann", Role::Participant, 0, &[])
    else {
        unreachable!("a welcome")
    };
    let welcome = ServerFrame::Welcome {
        v,
        me,
        meeting_id,
        head_seq,
        settings,
        participant_count,
        participants,
        limits,
        reads: Vec::new(),
        seen: Vec::new(),
        muted: Vec::new(),
        reports: Vec::new(),
        polls: vec![lunch(&["ann"])],
    };
    let fx = state.apply(Input::Frame(welcome), NOW);
    assert_eq!(polls_changed(&fx), Some(None));
    assert_eq!(refused(&vote(&mut state, 1, vec![0])), Some("already_voted"), "voted before this connection");
}
