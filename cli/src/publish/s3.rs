//! The S3 API: requests signed with AWS Signature V4 by `rusty-s3` (presigned URLs, the
//! headers they sign sent alongside), sent with `ureq`; multipart uploads for big files.

use super::store::{
    Attempt, Listed, Retry, Store, StoreError, Upload, classify, classify_or, in_parallel,
    part_range, read_body, with_retries,
};
use super::target::S3Auth;
use rusty_s3::actions::{
    AbortMultipartUpload, CompleteMultipartUpload, CreateMultipartUpload, DeleteObject, GetObject,
    HeadBucket, HeadObject, ListObjectsV2, PutObject, UploadPart,
};
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use std::time::Duration;

/// How long a signed request stays valid.
const SIGNED_FOR: Duration = Duration::from_secs(600);

/// S3 parts are numbered from 1 to 10,000.
const PARTS_MAX: u64 = 10_000;

/// A bucket of an S3 API.
pub struct S3Store {
    agent: ureq::Agent,
    bucket: Bucket,
    credentials: Credentials,
    prefix: String,
    retry: Retry,
    part_size: u64,
    public: String,
}

/// `rusty-s3`'s signed URL and the headers it signed, as `ureq` sends them.
fn request(agent: &ureq::Agent, method: &str, action: &impl S3ActionHeaders) -> ureq::Request {
    let url = action.signed();
    let mut request = agent.request(method, url.as_str());
    for (name, value) in action.signed_headers() {
        request = request.set(&name, &value);
    }
    request
}

/// A signed action and the headers it was signed with.
trait S3ActionHeaders {
    fn signed(&self) -> url::Url;
    fn signed_headers(&self) -> Vec<(String, String)>;
}

/// An action with its headers, signed when sent.
struct Signed<A> {
    action: A,
    headers: Vec<(String, String)>,
}

impl<'a, A: S3Action<'a>> S3ActionHeaders for Signed<A> {
    fn signed(&self) -> url::Url {
        self.action.sign(SIGNED_FOR)
    }

    fn signed_headers(&self) -> Vec<(String, String)> {
        self.headers.clone()
    }
}

/// `action` with `headers` added to what it signs.
fn signed<'a, A: S3Action<'a>>(mut action: A, headers: &'a [(String, String)]) -> Signed<A> {
    for (name, value) in headers {
        action.headers_mut().insert(name.as_str(), value.as_str());
    }
    Signed {
        action,
        headers: headers.to_vec(),
    }
}

impl S3Store {
    /// Opens `bucket` and checks that it exists.
    ///
    /// # Errors
    /// The endpoint is not a URL, the credentials are refused or the bucket does not exist
    /// (`auth` set).
    pub fn connect(
        agent: ureq::Agent,
        auth: &S3Auth,
        bucket: &str,
        prefix: &str,
        retry: Retry,
        part_size: u64,
    ) -> Result<S3Store, StoreError> {
        let endpoint: url::Url = auth
            .endpoint
            .parse()
            .map_err(|e| StoreError::new(format!("S3 endpoint {:?}: {e}", auth.endpoint)))?;
        let style = if auth.path_style {
            UrlStyle::Path
        } else {
            UrlStyle::VirtualHost
        };
        let b =
            Bucket::new(endpoint, style, bucket.to_owned(), auth.region.clone()).map_err(|e| {
                StoreError::new(format!("S3 bucket {bucket:?} at {}: {e:?}", auth.endpoint))
            })?;
        let credentials = match &auth.token {
            Some(token) => Credentials::new_with_token(&auth.key, &auth.secret, token),
            None => Credentials::new(&auth.key, &auth.secret),
        };
        let mut public = b.base_url().to_string();
        if !public.ends_with('/') {
            public.push('/');
        }
        if !prefix.is_empty() {
            public.push_str(&super::store::encode_path(prefix));
            public.push('/');
        }
        let store = S3Store {
            agent,
            bucket: b,
            credentials,
            prefix: prefix.to_owned(),
            retry,
            part_size: part_size.max(5 << 20),
            public,
        };
        store.check_bucket()?;
        Ok(store)
    }

    fn check_bucket(&self) -> Result<(), StoreError> {
        let what = format!("HEAD bucket {:?}", self.bucket.name());
        let action = signed(HeadBucket::new(&self.bucket, Some(&self.credentials)), &[]);
        let exists = with_retries(self.retry, &what, || {
            classify_or(
                &what,
                request(&self.agent, "HEAD", &action).call(),
                &[200],
                false,
                |_| Ok(true),
            )
        })?;
        if exists {
            Ok(())
        } else {
            Err(StoreError {
                message: format!(
                    "bucket {:?} does not exist: create it first",
                    self.bucket.name()
                ),
                auth: false,
            })
        }
    }

    fn put_plain(&self, upload: &Upload) -> Result<(), StoreError> {
        let what = format!("PUT {:?}", upload.key);
        let headers = meta_headers(upload);
        let action = signed(
            PutObject::new(&self.bucket, Some(&self.credentials), &upload.key),
            &headers,
        );
        with_retries(self.retry, &what, || {
            let body = match upload.body.reader(0, upload.size) {
                Ok(b) => b,
                Err(e) => return Attempt::Fatal(StoreError::new(format!("{what}: {e}"))),
            };
            let r = request(&self.agent, "PUT", &action)
                .set("Content-Length", &upload.size.to_string())
                .send(body);
            classify(&what, r, &[200], |response| {
                let etag = response
                    .header("ETag")
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_ascii_lowercase();
                if etag == upload.md5 {
                    Ok(())
                } else {
                    Err(format!(
                        "the stored object's ETag {etag} is not the content's MD5 {}",
                        upload.md5
                    ))
                }
            })
        })
    }

    fn put_multipart(&self, upload: &Upload, jobs: usize) -> Result<(), StoreError> {
        let part = self.part_size.max(upload.size.div_ceil(PARTS_MAX));
        let count = upload.size.div_ceil(part);
        let count_usize = usize::try_from(count).unwrap_or(usize::MAX);
        let what = format!("start the multipart upload of {:?}", upload.key);
        let headers = meta_headers(upload);
        let create = signed(
            CreateMultipartUpload::new(&self.bucket, Some(&self.credentials), &upload.key),
            &headers,
        );
        let upload_id = with_retries(self.retry, &what, || {
            let r = request(&self.agent, "POST", &create).call();
            classify(&what, r, &[200], |response| {
                let text = response.into_string().map_err(|e| e.to_string())?;
                CreateMultipartUpload::parse_response(&text)
                    .map(|r| r.upload_id().to_owned())
                    .map_err(|e| format!("unreadable answer: {e}"))
            })
        })?;
        let abort = |e: StoreError| {
            let action = signed(
                AbortMultipartUpload::new(
                    &self.bucket,
                    Some(&self.credentials),
                    &upload.key,
                    &upload_id,
                ),
                &[],
            );
            let _ = request(&self.agent, "DELETE", &action).call();
            e
        };
        let etags = in_parallel(count_usize, jobs, |i| {
            let (offset, len) = part_range(i, part, upload.size);
            let number = u16::try_from(i + 1).unwrap_or(u16::MAX);
            self.put_part(upload, &upload_id, number, offset, len)
        })
        .map_err(abort)?;
        let what = format!("complete the multipart upload of {:?}", upload.key);
        let complete = CompleteMultipartUpload::new(
            &self.bucket,
            Some(&self.credentials),
            &upload.key,
            &upload_id,
            etags.iter().map(String::as_str),
        );
        let url = complete.sign(SIGNED_FOR);
        let body = complete.body();
        with_retries(self.retry, &what, || {
            let r = self.agent.post(url.as_str()).send_string(&body);
            classify(&what, r, &[200], |_| Ok(()))
        })
        .map_err(abort)
    }

    fn put_part(
        &self,
        upload: &Upload,
        upload_id: &str,
        number: u16,
        offset: u64,
        len: u64,
    ) -> Result<String, StoreError> {
        let what = format!("PUT part {number} of {:?}", upload.key);
        let action = signed(
            UploadPart::new(
                &self.bucket,
                Some(&self.credentials),
                &upload.key,
                number,
                upload_id,
            ),
            &[],
        );
        with_retries(self.retry, &what, || {
            let body = match upload.body.reader(offset, len) {
                Ok(b) => b,
                Err(e) => return Attempt::Fatal(StoreError::new(format!("{what}: {e}"))),
            };
            let r = request(&self.agent, "PUT", &action)
                .set("Content-Length", &len.to_string())
                .send(body);
            classify(&what, r, &[200], |response| {
                response
                    .header("ETag")
                    .map(str::to_owned)
                    .ok_or_else(|| "the answer has no ETag".to_owned())
            })
        })
    }
}

/// The headers a PUT of `upload` signs: its SHA-256 as metadata and its content type.
fn meta_headers(upload: &Upload) -> Vec<(String, String)> {
    vec![
        ("x-amz-meta-sha256".to_owned(), upload.sha256.clone()),
        ("content-type".to_owned(), upload.content_type.to_owned()),
    ]
}

impl Store for S3Store {
    fn describe(&self) -> String {
        let prefix = if self.prefix.is_empty() {
            String::new()
        } else {
            format!("/{}", self.prefix)
        };
        format!(
            "s3://{}{prefix} at {}",
            self.bucket.name(),
            self.bucket.base_url()
        )
    }

    fn public_base(&self) -> String {
        self.public.clone()
    }

    fn list(&self, prefix: &str) -> Result<Vec<Listed>, StoreError> {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let what = format!("list bucket {:?}", self.bucket.name());
            let mut action = ListObjectsV2::new(&self.bucket, Some(&self.credentials));
            action.with_prefix(prefix);
            if let Some(t) = &token {
                action.with_continuation_token(t.clone());
            }
            let url = action.sign(SIGNED_FOR);
            let page = with_retries(self.retry, &what, || {
                let r = self.agent.get(url.as_str()).call();
                classify(&what, r, &[200], |response| {
                    let text = response.into_string().map_err(|e| e.to_string())?;
                    ListObjectsV2::parse_response(&text)
                        .map_err(|e| format!("unreadable listing: {e}"))
                })
            })?;
            for item in page.contents {
                let etag = item.etag.trim_matches('"').to_ascii_lowercase();
                let md5 = (etag.len() == 32 && etag.bytes().all(|b| b.is_ascii_hexdigit()))
                    .then_some(etag);
                all.push(Listed {
                    key: item.key,
                    size: item.size,
                    md5,
                });
            }
            match page.next_continuation_token {
                Some(t) => token = Some(t),
                None => return Ok(all),
            }
        }
    }

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let what = format!("GET {key:?}");
        let action = signed(
            GetObject::new(&self.bucket, Some(&self.credentials), key),
            &[],
        );
        with_retries(self.retry, &what, || {
            classify_or(
                &what,
                request(&self.agent, "GET", &action).call(),
                &[200],
                None,
                |response| read_body(response).map(Some),
            )
        })
    }

    fn stored_sha256(&self, key: &str) -> Result<Option<String>, StoreError> {
        let what = format!("HEAD {key:?}");
        let action = signed(
            HeadObject::new(&self.bucket, Some(&self.credentials), key),
            &[],
        );
        with_retries(self.retry, &what, || {
            classify_or(
                &what,
                request(&self.agent, "HEAD", &action).call(),
                &[200],
                None,
                |response| {
                    Ok(response
                        .header("x-amz-meta-sha256")
                        .map(str::to_ascii_lowercase))
                },
            )
        })
    }

    fn put(&self, upload: &Upload, jobs: usize) -> Result<(), StoreError> {
        if upload.size > self.part_size {
            self.put_multipart(upload, jobs)
        } else {
            self.put_plain(upload)
        }
    }

    fn delete(&self, key: &str, _large: bool) -> Result<(), StoreError> {
        let what = format!("DELETE {key:?}");
        let action = signed(
            DeleteObject::new(&self.bucket, Some(&self.credentials), key),
            &[],
        );
        with_retries(self.retry, &what, || {
            classify_or(
                &what,
                request(&self.agent, "DELETE", &action).call(),
                &[200, 204],
                (),
                |_| Ok(()),
            )
        })
    }

    fn clean_segments(&self, _current: &[(String, String)]) -> Result<u64, StoreError> {
        // A multipart upload's parts become the object when it completes; none are left over.
        Ok(0)
    }
}
