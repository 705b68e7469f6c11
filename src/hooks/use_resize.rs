//! `use_on_resize`: calls back whenever an element's size changes (a
//! ResizeObserver), for layouts that must notice rows growing after they
//! rendered, an image or a font arriving late.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

/// Calls `on_resize` each time the element behind `node` changes size, for
/// as long as the component is mounted.
#[hook]
pub fn use_on_resize(node: NodeRef, on_resize: Rc<dyn Fn()>) {
    use_effect_with((), move |_| {
        let callback = Closure::<dyn FnMut()>::new(move || on_resize());
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
        if let (Some(observer), Some(element)) = (&observer, node.cast::<Element>()) {
            observer.observe(&element);
        }
        move || {
            if let Some(observer) = observer {
                observer.disconnect();
            }
            drop(callback);
        }
    });
}
