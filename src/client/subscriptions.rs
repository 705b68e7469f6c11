//! Who hears about changes: listeners added with a guard that removes them
//! when dropped, called in the order they were added.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use chat_core::Change;

type Listener = Rc<dyn Fn(&Change)>;
type Listeners = RefCell<Vec<(u64, Listener)>>;

/// The client's listeners.
#[derive(Default)]
pub(super) struct Subscribers {
    listeners: Rc<Listeners>,
    next: Cell<u64>,
}

/// Keeps a listener subscribed while it lives.
#[must_use = "dropping the subscription stops the listener"]
pub struct Subscription {
    id: u64,
    listeners: Weak<Listeners>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(listeners) = self.listeners.upgrade() {
            listeners.borrow_mut().retain(|(id, _)| *id != self.id);
        }
    }
}

impl Subscribers {
    pub(super) fn add(&self, listener: Listener) -> Subscription {
        let id = self.next.get() + 1;
        self.next.set(id);
        self.listeners.borrow_mut().push((id, listener));
        Subscription { id, listeners: Rc::downgrade(&self.listeners) }
    }

    /// Calls every listener; none is borrowed while they run, so a listener
    /// may subscribe, unsubscribe or call back into the client.
    pub(super) fn notify(&self, change: &Change) {
        let listeners: Vec<Listener> = self.listeners.borrow().iter().map(|(_, l)| Rc::clone(l)).collect();
        for listener in listeners {
            listener(change);
        }
    }
}
