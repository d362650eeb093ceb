//! Entry point of the browser app: mounts it at the end of the page's body.

/// The allocator of the page: talc, which grows the wasm memory as it needs, in place of std's
/// dlmalloc (the same job in fewer bytes: see web/README.md, Budgets). Its constructor only
/// builds on single-threaded wasm, which this target is.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    #[cfg(target_arch = "wasm32")]
    std::mem::forget(ipxegen_web::mount(&wasm_bindgen::JsValue::NULL));
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("ipxegen-web runs in a browser: build the page with web/build.sh");
}
