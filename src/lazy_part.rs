//! Lazily loaded parts of the panel: a feature the first paint does not need
//! leaves the first download and arrives as a wasm module of its own, fetched
//! in the background once the panel has drawn its first messages, or at once
//! when someone opens the feature before that.
//!
//! A part is a function that returns what draws the feature (a plain `fn`).
//! [`lazy_part!`] makes it a split point of `wasm_split_helpers` when the
//! `split` feature is on (the npm package's build, split by `wasm-split-cli`),
//! and a plain call otherwise (trunk, the browser tests' unsplit builds), so
//! every build runs the same code path. A part that failed to load (offline,
//! a missing file) is tried again on the next request; the splitter's loader
//! keeps no failure either.

use std::cell::{Cell, RefCell};
use std::thread::LocalKey;

use futures::future::LocalBoxFuture;
use yew::Callback;

/// A part could not be fetched or instantiated (the browser's console has the cause).
#[derive(Debug, Clone, Copy)]
pub struct LoadFailed;

#[cfg(all(feature = "split", target_arch = "wasm32"))]
impl From<wasm_split_helpers::SplitLoaderError> for LoadFailed {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        LoadFailed
    }
}

/// Where a part is.
#[derive(Clone, Copy)]
pub enum PartState<D> {
    /// Not asked for yet.
    Idle,
    /// Being fetched.
    Loading,
    /// Here: what draws it.
    Ready(D),
    /// The last attempt failed; the next request tries again.
    Failed,
}

/// A part's state and who waits for it to change (one per part and page).
pub struct Slot<D> {
    state: Cell<PartState<D>>,
    waiting: RefCell<Vec<Callback<()>>>,
}

impl<D> Slot<D> {
    /// A part not asked for yet.
    pub const fn new() -> Self {
        Self { state: Cell::new(PartState::Idle), waiting: RefCell::new(Vec::new()) }
    }
}

impl<D> Default for Slot<D> {
    fn default() -> Self {
        Self::new()
    }
}

/// One lazily loaded part; declare it with [`lazy_part!`].
pub struct Part<D: 'static> {
    /// Fetches the part (a split point) and returns what draws it.
    pub load: fn() -> LocalBoxFuture<'static, Result<D, LoadFailed>>,
    /// Its state on this page.
    pub slot: &'static LocalKey<Slot<D>>,
}

impl<D: Copy + 'static> Part<D> {
    /// Where the part is now.
    pub fn state(&'static self) -> PartState<D> {
        self.slot.with(|slot| slot.state.get())
    }

    /// Starts loading the part unless it is here or on its way; a failed part is tried again.
    pub fn request(&'static self) {
        if matches!(self.state(), PartState::Ready(_) | PartState::Loading) {
            return;
        }
        self.settle(PartState::Loading);
        wasm_bindgen_futures::spawn_local(async move {
            let loaded = (self.load)().await;
            self.settle(match loaded {
                Ok(draw) => PartState::Ready(draw),
                Err(LoadFailed) => PartState::Failed,
            });
        });
    }

    /// Calls `changed` (once) the next time the part's state changes.
    pub fn watch(&'static self, changed: Callback<()>) {
        self.slot.with(|slot| slot.waiting.borrow_mut().push(changed));
    }

    fn settle(&'static self, state: PartState<D>) {
        let waiting = self.slot.with(|slot| {
            slot.state.set(state);
            slot.waiting.take()
        });
        for changed in waiting {
            changed.emit(());
        }
    }
}

/// A part of any kind, to be fetched ahead of need.
pub trait Request: Sync {
    /// Starts loading the part unless it is here or on its way.
    fn request(&'static self);
}

impl<D: Copy + 'static> Request for Part<D> {
    fn request(&'static self) {
        Part::request(self);
    }
}

/// Declares a lazily loaded part: `lazy_part!(/// docs\n pub NAME in module: Type = expr);`
/// `expr` (what draws the part, of `Type`) and everything only it reaches go
/// to the wasm module `module` when the build splits.
macro_rules! lazy_part {
    ($(#[$doc:meta])* $vis:vis $name:ident in $module:ident: $draw:ty = $value:expr) => {
        $(#[$doc])*
        $vis static $name: $crate::lazy_part::Part<$draw> = {
            ::std::thread_local! {
                static SLOT: $crate::lazy_part::Slot<$draw> = const { $crate::lazy_part::Slot::new() };
            }
            #[cfg(all(feature = "split", target_arch = "wasm32"))]
            #[::wasm_split_helpers::wasm_split($module, fallible)]
            fn load_split() -> ::std::result::Result<$draw, $crate::lazy_part::LoadFailed> {
                let draw: $draw = $value;
                Ok(draw)
            }
            #[cfg(not(all(feature = "split", target_arch = "wasm32")))]
            async fn load_split() -> ::std::result::Result<$draw, $crate::lazy_part::LoadFailed> {
                let draw: $draw = $value;
                Ok(draw)
            }
            fn load() -> ::futures::future::LocalBoxFuture<'static, ::std::result::Result<$draw, $crate::lazy_part::LoadFailed>> {
                ::std::boxed::Box::pin(load_split())
            }
            $crate::lazy_part::Part { load, slot: &SLOT }
        };
    };
}
pub(crate) use lazy_part;
