//! OpenStack Swift over its REST API: v1 auth (tempauth, swauth), Keystone v3 or a given
//! token; plain PUTs checked by `ETag`; static large objects (SLO) for big files, their
//! segments under `.ipxegen-segments/` in the same container (so the container's read ACL
//! covers them).

use super::store::{
    Attempt, Listed, Retry, Store, StoreError, Upload, classify, classify_or, encode_path, hex,
    in_parallel, part_range, read_body, with_retries,
};
use super::target::SwiftAuth;
use md5::{Digest as _, Md5};
use std::io::Read;
use std::sync::{Arc, Mutex};

/// Where a large object's segments go: `.ipxegen-segments/<key>/<sha256>/<n>`.
pub const SEGMENTS: &str = ".ipxegen-segments/";

/// Objects per listing page (Swift's maximum).
const PAGE: usize = 10_000;

/// A container of a Swift account.
pub struct SwiftStore {
    agent: ureq::Agent,
    auth: SwiftAuth,
    /// The account's storage URL and the token, renewed when it expires.
    session: Mutex<(String, String)>,
    container: String,
    prefix: String,
    retry: Retry,
    segment_size: u64,
}

impl SwiftStore {
    /// Authenticates and checks that `container` exists.
    ///
    /// # Errors
    /// Authentication failed, or the container does not exist (`auth` set: no retry helps).
    pub fn connect(
        agent: ureq::Agent,
        auth: SwiftAuth,
        container: &str,
        prefix: &str,
        retry: Retry,
        segment_size: u64,
    ) -> Result<SwiftStore, StoreError> {
        let session = authenticate(&agent, &auth, retry)?;
        let store = SwiftStore {
            agent,
            auth,
            session: Mutex::new(session),
            container: container.to_owned(),
            prefix: prefix.to_owned(),
            retry,
            segment_size,
        };
        store.check_container()?;
        Ok(store)
    }

    fn session(&self) -> (String, String) {
        self.session
            .lock()
            .map(|s| s.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    fn object_url(&self, storage_url: &str, key: &str) -> String {
        format!(
            "{storage_url}/{}/{}",
            encode_path(&self.container),
            encode_path(key)
        )
    }

    /// Runs `request` (given the storage URL and token) with retries; on a 401 the token is
    /// renewed once and the request made again.
    fn request<T>(
        &self,
        what: &str,
        mut request: impl FnMut(&str, &str) -> Attempt<T>,
    ) -> Result<T, StoreError> {
        let mut renewed = false;
        loop {
            let (url, token) = self.session();
            match with_retries(self.retry, what, || request(&url, &token)) {
                Err(e) if e.auth && !renewed => {
                    renewed = true;
                    let fresh = authenticate(&self.agent, &self.auth, self.retry)?;
                    if let Ok(mut s) = self.session.lock() {
                        *s = fresh;
                    }
                }
                other => return other,
            }
        }
    }

    fn check_container(&self) -> Result<(), StoreError> {
        let what = format!("HEAD container {:?}", self.container);
        let exists = self.request(&what, |url, token| {
            let r = self
                .agent
                .head(&format!("{url}/{}", encode_path(&self.container)))
                .set("X-Auth-Token", token)
                .call();
            classify_or(&what, r, &[200, 204], false, |_| Ok(true))
        })?;
        if exists {
            Ok(())
        } else {
            Err(StoreError {
                message: format!(
                    "container {:?} does not exist: create it (`swift post {}`) and make it readable by iPXE (`swift post -r '.r:*' {}`)",
                    self.container, self.container, self.container
                ),
                auth: false,
            })
        }
    }

    fn put_plain(&self, upload: &Upload) -> Result<(), StoreError> {
        let what = format!("PUT {:?}", upload.key);
        self.request(&what, |url, token| {
            let body = match upload.body.reader(0, upload.size) {
                Ok(b) => b,
                Err(e) => return Attempt::Fatal(StoreError::new(format!("{what}: {e}"))),
            };
            let r = self
                .agent
                .put(&self.object_url(url, &upload.key))
                .set("X-Auth-Token", token)
                .set("Content-Length", &upload.size.to_string())
                .set("Content-Type", upload.content_type)
                .set("ETag", &upload.md5)
                .set("X-Object-Meta-Sha256", &upload.sha256)
                .send(body);
            classify(&what, r, &[201], |_| Ok(()))
        })
    }

    fn put_large(&self, upload: &Upload, jobs: usize) -> Result<(), StoreError> {
        let size = self.segment_size.max(1);
        let count = upload.size.div_ceil(size);
        let count_usize = usize::try_from(count).unwrap_or(usize::MAX);
        let base = format!("{SEGMENTS}{}/{}", upload.key, upload.sha256);
        let etags = in_parallel(count_usize, jobs, |i| {
            let (offset, len) = part_range(i, size, upload.size);
            self.put_segment(upload, &format!("{base}/{i:08}"), offset, len)
        })?;
        let manifest: Vec<serde_json::Value> = etags
            .into_iter()
            .enumerate()
            .map(|(i, etag)| {
                serde_json::json!({
                    "path": format!("/{}/{base}/{i:08}", self.container),
                    "etag": etag,
                    "size_bytes": part_range(i, size, upload.size).1,
                })
            })
            .collect();
        let body = serde_json::to_vec(&manifest).unwrap_or_default();
        let what = format!("PUT {:?} (SLO manifest of {count} segments)", upload.key);
        self.request(&what, |url, token| {
            let r = self
                .agent
                .put(&format!(
                    "{}?multipart-manifest=put",
                    self.object_url(url, &upload.key)
                ))
                .set("X-Auth-Token", token)
                .set("Content-Type", upload.content_type)
                .set("X-Object-Meta-Sha256", &upload.sha256)
                .send_bytes(&body);
            classify(&what, r, &[201], |_| Ok(()))
        })
    }

    /// Uploads `len` bytes from `offset` as segment `key`; gives its ETag (checked against
    /// the MD5 of what was sent).
    fn put_segment(
        &self,
        upload: &Upload,
        key: &str,
        offset: u64,
        len: u64,
    ) -> Result<String, StoreError> {
        let what = format!("PUT segment {key:?}");
        self.request(&what, |url, token| {
            let reader = match upload.body.reader(offset, len) {
                Ok(r) => r,
                Err(e) => return Attempt::Fatal(StoreError::new(format!("{what}: {e}"))),
            };
            let md5 = Arc::new(Mutex::new(Md5::new()));
            let body = HashingReader {
                inner: reader,
                md5: Arc::clone(&md5),
            };
            let r = self
                .agent
                .put(&self.object_url(url, key))
                .set("X-Auth-Token", token)
                .set("Content-Length", &len.to_string())
                .send(body);
            classify(&what, r, &[201], |response| {
                let etag = response
                    .header("Etag")
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_ascii_lowercase();
                let sent = md5
                    .lock()
                    .map(|m| hex(&m.clone().finalize()))
                    .unwrap_or_default();
                if etag == sent {
                    Ok(etag)
                } else {
                    Err(format!(
                        "the stored segment's ETag {etag} is not the MD5 {sent} of what was sent"
                    ))
                }
            })
        })
    }
}

impl Store for SwiftStore {
    fn describe(&self) -> String {
        let (url, _) = self.session();
        let prefix = if self.prefix.is_empty() {
            String::new()
        } else {
            format!("/{}", self.prefix)
        };
        format!("swift://{}{prefix} at {url}", self.container)
    }

    fn public_base(&self) -> String {
        let (url, _) = self.session();
        let mut base = format!("{url}/{}/", encode_path(&self.container));
        if !self.prefix.is_empty() {
            base.push_str(&encode_path(&self.prefix));
            base.push('/');
        }
        base
    }

    fn list(&self, prefix: &str) -> Result<Vec<Listed>, StoreError> {
        let mut all = Vec::new();
        let mut marker = String::new();
        loop {
            let what = format!("GET listing of container {:?}", self.container);
            let page: Vec<serde_json::Value> = self.request(&what, |url, token| {
                let r = self
                    .agent
                    .get(&format!("{url}/{}", encode_path(&self.container)))
                    .set("X-Auth-Token", token)
                    .query("format", "json")
                    .query("prefix", prefix)
                    .query("marker", &marker)
                    .query("limit", &PAGE.to_string())
                    .call();
                classify(&what, r, &[200, 204], |response| {
                    if response.status() == 204 {
                        return Ok(Vec::new());
                    }
                    let text = response.into_string().map_err(|e| e.to_string())?;
                    serde_json::from_str::<Vec<serde_json::Value>>(&text)
                        .map_err(|e| format!("unreadable listing: {e}"))
                })
            })?;
            let full = page.len() >= PAGE;
            for item in &page {
                let Some(name) = item.get("name").and_then(|v| v.as_str()) else {
                    continue;
                };
                let md5 = item
                    .get("hash")
                    .and_then(|v| v.as_str())
                    .filter(|h| h.len() == 32 && h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .map(str::to_ascii_lowercase);
                // A static large object's listed hash is not its content's MD5.
                let slo = item.get("slo_etag").is_some();
                all.push(Listed {
                    key: name.to_owned(),
                    size: item
                        .get("bytes")
                        .and_then(serde_json::Value::as_u64)
                        .unwrap_or(0),
                    md5: md5.filter(|_| !slo),
                });
                marker = name.to_owned();
            }
            if !full {
                return Ok(all);
            }
        }
    }

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let what = format!("GET {key:?}");
        self.request(&what, |url, token| {
            let r = self
                .agent
                .get(&self.object_url(url, key))
                .set("X-Auth-Token", token)
                .call();
            classify_or(&what, r, &[200], None, |response| {
                read_body(response).map(Some)
            })
        })
    }

    fn stored_sha256(&self, key: &str) -> Result<Option<String>, StoreError> {
        let what = format!("HEAD {key:?}");
        self.request(&what, |url, token| {
            let r = self
                .agent
                .head(&self.object_url(url, key))
                .set("X-Auth-Token", token)
                .call();
            classify_or(&what, r, &[200], None, |response| {
                Ok(response
                    .header("X-Object-Meta-Sha256")
                    .map(str::to_ascii_lowercase))
            })
        })
    }

    fn put(&self, upload: &Upload, jobs: usize) -> Result<(), StoreError> {
        if upload.size > self.segment_size {
            self.put_large(upload, jobs)
        } else {
            self.put_plain(upload)
        }
    }

    fn delete(&self, key: &str, large: bool) -> Result<(), StoreError> {
        let what = format!("DELETE {key:?}");
        self.request(&what, |url, token| {
            let mut target = self.object_url(url, key);
            if large {
                target.push_str("?multipart-manifest=delete");
            }
            let r = self.agent.delete(&target).set("X-Auth-Token", token).call();
            classify_or(&what, r, &[200, 204], (), |_| Ok(()))
        })
    }

    fn clean_segments(&self, current: &[(String, String)]) -> Result<u64, StoreError> {
        let mut removed = 0;
        let prefix = if self.prefix.is_empty() {
            SEGMENTS.to_owned()
        } else {
            format!("{SEGMENTS}{}/", self.prefix)
        };
        for listed in self.list(&prefix)? {
            let Some(rest) = listed.key.strip_prefix(SEGMENTS) else {
                continue;
            };
            let mut parts = rest.rsplitn(3, '/');
            let (Some(_n), Some(sha), Some(key)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if !current.iter().any(|(k, s)| k == key && s == sha) {
                self.delete(&listed.key, false)?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// Authenticates: the storage URL and a token.
fn authenticate(
    agent: &ureq::Agent,
    auth: &SwiftAuth,
    retry: Retry,
) -> Result<(String, String), StoreError> {
    match auth {
        SwiftAuth::Token { storage_url, token } => Ok((storage_url.clone(), token.clone())),
        SwiftAuth::V1 { url, user, key } => {
            let what = format!("Swift v1 auth at {url}");
            with_retries(retry, &what, || {
                let r = agent
                    .get(url)
                    .set("X-Auth-User", user)
                    .set("X-Auth-Key", key)
                    .call();
                classify(&what, r, &[200, 204], |response| {
                    let storage = response.header("X-Storage-Url").map(str::to_owned);
                    let token = response
                        .header("X-Auth-Token")
                        .or_else(|| response.header("X-Storage-Token"))
                        .map(str::to_owned);
                    match (storage, token) {
                        (Some(s), Some(t)) => Ok((s.trim_end_matches('/').to_owned(), t)),
                        _ => Err("the answer has no X-Storage-Url or X-Auth-Token".to_owned()),
                    }
                })
            })
        }
        SwiftAuth::Keystone {
            url,
            user,
            password,
            project,
            user_domain,
            project_domain,
            region,
            interface,
        } => {
            let what = format!("Keystone v3 auth at {url}");
            let body = serde_json::json!({"auth": {
                "identity": {"methods": ["password"], "password": {"user": {
                    "name": user, "domain": {"name": user_domain}, "password": password}}},
                "scope": {"project": {"name": project, "domain": {"name": project_domain}}}
            }});
            with_retries(retry, &what, || {
                let r = agent
                    .post(&format!("{url}/auth/tokens"))
                    .set("Content-Type", "application/json")
                    .send_string(&body.to_string());
                classify(&what, r, &[201], |response| {
                    let token = response
                        .header("X-Subject-Token")
                        .map(str::to_owned)
                        .ok_or("the answer has no X-Subject-Token")?;
                    let text = response.into_string().map_err(|e| e.to_string())?;
                    let doc: serde_json::Value = serde_json::from_str(&text)
                        .map_err(|e| format!("unreadable answer: {e}"))?;
                    object_store_endpoint(&doc, region.as_deref(), interface)
                        .map(|u| (u.trim_end_matches('/').to_owned(), token))
                        .ok_or_else(|| {
                            format!("the catalog has no object-store endpoint with interface {interface}")
                        })
                })
            })
        }
    }
}

/// The object-store endpoint of a Keystone v3 token's catalog.
fn object_store_endpoint(
    doc: &serde_json::Value,
    region: Option<&str>,
    interface: &str,
) -> Option<String> {
    let catalog = doc.get("token")?.get("catalog")?.as_array()?;
    let service = catalog
        .iter()
        .find(|s| s.get("type").and_then(|t| t.as_str()) == Some("object-store"))?;
    service.get("endpoints")?.as_array()?.iter().find_map(|e| {
        let iface = e.get("interface").and_then(|v| v.as_str())?;
        let reg = e
            .get("region_id")
            .or_else(|| e.get("region"))
            .and_then(|v| v.as_str());
        let url = e.get("url").and_then(|v| v.as_str())?;
        (iface == interface && region.is_none_or(|r| reg == Some(r))).then(|| url.to_owned())
    })
}

/// A reader that hashes what is read through it (the hash is the caller's to finish).
struct HashingReader {
    inner: Box<dyn Read + Send>,
    md5: Arc<Mutex<Md5>>,
}

impl Read for HashingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let (Some(read), Ok(mut md5)) = (buf.get(..n), self.md5.lock()) {
            md5.update(read);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_object_store_endpoint_of_a_catalog() {
        let doc = serde_json::json!({"token": {"catalog": [
            {"type": "identity", "endpoints": [{"interface": "public", "url": "http://k/v3"}]},
            {"type": "object-store", "endpoints": [
                {"interface": "internal", "region_id": "r1", "url": "http://int/v1/AUTH_p"},
                {"interface": "public", "region_id": "r2", "url": "http://r2/v1/AUTH_p"},
                {"interface": "public", "region_id": "r1", "url": "http://r1/v1/AUTH_p"}
            ]}
        ]}});
        assert_eq!(
            object_store_endpoint(&doc, Some("r1"), "public").as_deref(),
            Some("http://r1/v1/AUTH_p")
        );
        assert_eq!(
            object_store_endpoint(&doc, None, "public").as_deref(),
            Some("http://r2/v1/AUTH_p")
        );
        assert_eq!(
            object_store_endpoint(&doc, Some("r1"), "internal").as_deref(),
            Some("http://int/v1/AUTH_p")
        );
        assert_eq!(object_store_endpoint(&doc, Some("r3"), "public"), None);
    }
}
