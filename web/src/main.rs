//! Entry point of the browser app: renders [`ipxegen_web::App`] into the page body.

fn main() {
    #[cfg(target_arch = "wasm32")]
    yew::Renderer::<ipxegen_web::App>::new().render();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("ipxegen-web runs in a browser: build the page with web/build.sh");
}
