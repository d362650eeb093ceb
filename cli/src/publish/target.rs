//! Where `publish` writes: `swift://CONTAINER[/PREFIX]` or `s3://BUCKET[/PREFIX]`, and the
//! credentials for it, from the environment the standard clients read.

use std::collections::HashMap;

/// A parsed `--to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The service.
    pub kind: Kind,
    /// The container or bucket.
    pub container: String,
    /// The key prefix, without leading or trailing `/` (empty: the container's top).
    pub prefix: String,
}

/// The object store's API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// OpenStack Swift.
    Swift,
    /// The S3 API (AWS, Swift's s3api, Ceph RGW, MinIO, ...).
    S3,
}

impl Target {
    /// Parses `swift://CONTAINER[/PREFIX]` or `s3://BUCKET[/PREFIX]`.
    ///
    /// # Errors
    /// What is wrong with `url`, as a sentence.
    pub fn parse(url: &str) -> Result<Target, String> {
        let (kind, rest) = if let Some(rest) = url.strip_prefix("swift://") {
            (Kind::Swift, rest)
        } else if let Some(rest) = url.strip_prefix("s3://") {
            (Kind::S3, rest)
        } else {
            return Err(format!(
                "--to {url:?}: give swift://CONTAINER[/PREFIX] or s3://BUCKET[/PREFIX]"
            ));
        };
        let rest = rest.trim_end_matches('/');
        let (container, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if container.is_empty() {
            return Err(format!("--to {url:?}: no container or bucket name"));
        }
        let bad = |c: char| c.is_control() || c == '?' || c == '#' || c == '%';
        if container.contains(bad) || prefix.contains(bad) || container.contains(' ') {
            return Err(format!(
                "--to {url:?}: a container and prefix of printable characters without `?`, `#`, `%` (and no space in the container)"
            ));
        }
        if prefix
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
            && !prefix.is_empty()
        {
            return Err(format!(
                "--to {url:?}: the prefix has an empty, `.` or `..` segment"
            ));
        }
        Ok(Target {
            kind,
            container: container.to_owned(),
            prefix: prefix.to_owned(),
        })
    }

    /// The object key of tree path `path`.
    pub fn key(&self, path: &str) -> String {
        if self.prefix.is_empty() {
            path.to_owned()
        } else {
            format!("{}/{path}", self.prefix)
        }
    }

    /// The prefix every key of the tree starts with (`""` or `PREFIX/`).
    pub fn key_prefix(&self) -> String {
        if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.prefix)
        }
    }
}

/// Environment variables, read once (a map, so tests and the command read them alike).
pub struct Env(HashMap<String, String>);

impl Env {
    /// The process's environment.
    pub fn from_process() -> Env {
        Env(std::env::vars().collect())
    }

    /// The value of `name`, if set and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn first(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| self.get(n))
    }
}

/// How to authenticate to Swift.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SwiftAuth {
    /// A storage URL and a token given as they are (`OS_STORAGE_URL` and `OS_AUTH_TOKEN`).
    Token {
        /// The account's storage URL.
        storage_url: String,
        /// The token.
        token: String,
    },
    /// Swift's v1 auth (tempauth, swauth): `GET <url>` with `X-Auth-User` and `X-Auth-Key`.
    V1 {
        /// The auth URL (`.../auth/v1.0`).
        url: String,
        /// The user (`account:user`).
        user: String,
        /// The key.
        key: String,
    },
    /// Keystone v3 password auth, scoped to a project.
    Keystone {
        /// The identity endpoint (`.../v3`).
        url: String,
        /// The user name.
        user: String,
        /// The password.
        password: String,
        /// The project's name.
        project: String,
        /// The user's domain.
        user_domain: String,
        /// The project's domain.
        project_domain: String,
        /// The region whose object-store endpoint to use (`OS_REGION_NAME`), if any.
        region: Option<String>,
        /// The endpoint interface (`OS_INTERFACE`: public, internal, admin).
        interface: String,
    },
}

impl SwiftAuth {
    /// The credentials the environment gives, as the `swift` client reads them: with
    /// `OS_CLOUD`, that cloud of `clouds.yaml` ([`SwiftAuth::from_clouds_yaml`]); else
    /// `OS_STORAGE_URL` + `OS_AUTH_TOKEN`; else `ST_AUTH` + `ST_USER` + `ST_KEY` (v1); else
    /// `OS_AUTH_URL` + `OS_USERNAME` + `OS_PASSWORD`: v1 when the URL ends in `/auth/v1.0`
    /// (or `/auth/v1`), else Keystone v3 with `OS_PROJECT_NAME` (or `OS_TENANT_NAME`),
    /// `OS_USER_DOMAIN_NAME` and `OS_PROJECT_DOMAIN_NAME` (default `Default`).
    ///
    /// # Errors
    /// Which variables are missing.
    pub fn from_env(env: &Env) -> Result<SwiftAuth, String> {
        if let Some(cloud) = env.get("OS_CLOUD") {
            return SwiftAuth::from_clouds_yaml(env, cloud);
        }
        if let (Some(storage_url), Some(token)) =
            (env.get("OS_STORAGE_URL"), env.get("OS_AUTH_TOKEN"))
        {
            return Ok(SwiftAuth::Token {
                storage_url: storage_url.trim_end_matches('/').to_owned(),
                token: token.to_owned(),
            });
        }
        if let (Some(url), Some(user), Some(key)) =
            (env.get("ST_AUTH"), env.get("ST_USER"), env.get("ST_KEY"))
        {
            return Ok(SwiftAuth::V1 {
                url: url.to_owned(),
                user: user.to_owned(),
                key: key.to_owned(),
            });
        }
        let (Some(url), Some(user), Some(password)) = (
            env.get("OS_AUTH_URL"),
            env.get("OS_USERNAME"),
            env.get("OS_PASSWORD"),
        ) else {
            return Err("no Swift credentials: set OS_AUTH_URL, OS_USERNAME and OS_PASSWORD (with OS_PROJECT_NAME for Keystone v3), or ST_AUTH, ST_USER and ST_KEY (v1 auth), or OS_STORAGE_URL and OS_AUTH_TOKEN".to_owned());
        };
        let trimmed = url.trim_end_matches('/');
        if trimmed.ends_with("/auth/v1.0") || trimmed.ends_with("/auth/v1") {
            return Ok(SwiftAuth::V1 {
                url: url.to_owned(),
                user: user.to_owned(),
                key: password.to_owned(),
            });
        }
        let project = env
            .first(&["OS_PROJECT_NAME", "OS_TENANT_NAME"])
            .ok_or("Keystone v3 auth needs OS_PROJECT_NAME")?;
        let url = if trimmed.ends_with("/v3") {
            trimmed.to_owned()
        } else {
            format!("{trimmed}/v3")
        };
        Ok(SwiftAuth::Keystone {
            url,
            user: user.to_owned(),
            password: password.to_owned(),
            project: project.to_owned(),
            user_domain: env
                .first(&["OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME"])
                .unwrap_or("Default")
                .to_owned(),
            project_domain: env
                .first(&["OS_PROJECT_DOMAIN_NAME", "OS_DOMAIN_NAME"])
                .unwrap_or("Default")
                .to_owned(),
            region: env.get("OS_REGION_NAME").map(str::to_owned),
            interface: env.get("OS_INTERFACE").unwrap_or("public").to_owned(),
        })
    }
}

impl SwiftAuth {
    /// The credentials of `cloud` in the first `clouds.yaml` found, where the OpenStack
    /// clients look: `OS_CLIENT_CONFIG_FILE`, `./clouds.yaml`,
    /// `$XDG_CONFIG_HOME/openstack/clouds.yaml` (or `~/.config/openstack/clouds.yaml`),
    /// `/etc/openstack/clouds.yaml`. Its `auth` (`auth_url`, `username`, `password`,
    /// `project_name`, `user_domain_name`, `project_domain_name`, or `domain_name` for both),
    /// `region_name` and `interface`; `auth_type` `v1password` for Swift's v1 auth, else
    /// Keystone v3 password auth.
    ///
    /// # Errors
    /// No file, no such cloud, or a value missing (naming the file).
    pub fn from_clouds_yaml(env: &Env, cloud: &str) -> Result<SwiftAuth, String> {
        let home = env.get("HOME").unwrap_or("");
        let config_home = env
            .get("XDG_CONFIG_HOME")
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{home}/.config"));
        let candidates = [
            env.get("OS_CLIENT_CONFIG_FILE").map(str::to_owned),
            Some("clouds.yaml".to_owned()),
            Some(format!("{config_home}/openstack/clouds.yaml")),
            Some("/etc/openstack/clouds.yaml".to_owned()),
        ];
        let Some((path, text)) = candidates
            .into_iter()
            .flatten()
            .find_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        else {
            return Err(format!(
                "OS_CLOUD={cloud}: no clouds.yaml (looked at OS_CLIENT_CONFIG_FILE, ./clouds.yaml, {config_home}/openstack/clouds.yaml, /etc/openstack/clouds.yaml)"
            ));
        };
        let docs = yaml_rust2::YamlLoader::load_from_str(&text)
            .map_err(|e| format!("{path}: not YAML: {e}"))?;
        let entry = docs.first().map(|d| &d["clouds"][cloud]);
        let Some(entry) = entry.filter(|e| !e.is_badvalue()) else {
            return Err(format!("{path}: no cloud {cloud:?} under `clouds`"));
        };
        let auth = &entry["auth"];
        let text_of = |v: &yaml_rust2::Yaml| v.as_str().map(str::to_owned);
        let need = |key: &str| {
            text_of(&auth[key])
                .ok_or_else(|| format!("{path}: clouds.{cloud}.auth.{key} is not given"))
        };
        let url = need("auth_url")?;
        let user = need("username")?;
        let password = need("password")?;
        if entry["auth_type"].as_str() == Some("v1password") {
            return Ok(SwiftAuth::V1 {
                url,
                user,
                key: password,
            });
        }
        let domain = text_of(&auth["domain_name"]);
        let trimmed = url.trim_end_matches('/');
        Ok(SwiftAuth::Keystone {
            url: if trimmed.ends_with("/v3") {
                trimmed.to_owned()
            } else {
                format!("{trimmed}/v3")
            },
            user,
            password,
            project: need("project_name")?,
            user_domain: text_of(&auth["user_domain_name"])
                .or_else(|| domain.clone())
                .unwrap_or_else(|| "Default".to_owned()),
            project_domain: text_of(&auth["project_domain_name"])
                .or(domain)
                .unwrap_or_else(|| "Default".to_owned()),
            region: text_of(&entry["region_name"]),
            interface: text_of(&entry["interface"]).unwrap_or_else(|| "public".to_owned()),
        })
    }
}

/// Credentials and endpoint for the S3 API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Auth {
    /// The access key id.
    pub key: String,
    /// The secret.
    pub secret: String,
    /// A session token, if any.
    pub token: Option<String>,
    /// The region.
    pub region: String,
    /// The endpoint (`--endpoint`, `AWS_ENDPOINT_URL`; else AWS's for the region).
    pub endpoint: String,
    /// Path-style URLs (`endpoint/bucket/key`): for any endpoint but AWS's own.
    pub path_style: bool,
}

impl S3Auth {
    /// The credentials the environment gives, as the AWS CLI reads them:
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION` (or
    /// `AWS_DEFAULT_REGION`), `AWS_ENDPOINT_URL`; else the `[AWS_PROFILE or default]`
    /// sections of `~/.aws/credentials` and `~/.aws/config` (or `AWS_SHARED_CREDENTIALS_FILE`
    /// and `AWS_CONFIG_FILE`). `endpoint` (`--endpoint`) comes first.
    ///
    /// # Errors
    /// Which values are missing.
    pub fn from_env(env: &Env, endpoint: Option<&str>) -> Result<S3Auth, String> {
        let profile = env.get("AWS_PROFILE").unwrap_or("default");
        let home = env.get("HOME").unwrap_or("");
        let credentials = ini_section(
            env.get("AWS_SHARED_CREDENTIALS_FILE")
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{home}/.aws/credentials")),
            profile,
        );
        let config_section = if profile == "default" {
            "default".to_owned()
        } else {
            format!("profile {profile}")
        };
        let config = ini_section(
            env.get("AWS_CONFIG_FILE")
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{home}/.aws/config")),
            &config_section,
        );
        let pick = |var: &str, key: &str| -> Option<String> {
            env.get(var)
                .map(str::to_owned)
                .or_else(|| credentials.get(key).cloned())
                .or_else(|| config.get(key).cloned())
        };
        let key = pick("AWS_ACCESS_KEY_ID", "aws_access_key_id");
        let secret = pick("AWS_SECRET_ACCESS_KEY", "aws_secret_access_key");
        let (Some(key), Some(secret)) = (key, secret) else {
            return Err("no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give them in ~/.aws/credentials".to_owned());
        };
        let region = env
            .first(&["AWS_REGION", "AWS_DEFAULT_REGION"])
            .map(str::to_owned)
            .or_else(|| config.get("region").cloned())
            .unwrap_or_else(|| "us-east-1".to_owned());
        let given = endpoint
            .map(str::to_owned)
            .or_else(|| env.get("AWS_ENDPOINT_URL").map(str::to_owned))
            .or_else(|| config.get("endpoint_url").cloned());
        let (endpoint, path_style) = match given {
            Some(e) => (e.trim_end_matches('/').to_owned(), true),
            None => (format!("https://s3.{region}.amazonaws.com"), false),
        };
        Ok(S3Auth {
            key,
            secret,
            token: pick("AWS_SESSION_TOKEN", "aws_session_token"),
            region,
            endpoint,
            path_style,
        })
    }
}

/// The `key = value` lines of section `[section]` of an INI file (none if it cannot be
/// read).
fn ini_section(path: String, section: &str) -> HashMap<String, String> {
    let mut values = HashMap::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return values;
    };
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = name.trim() == section;
        } else if inside && let Some((k, v)) = line.split_once('=') {
            values.insert(k.trim().to_owned(), v.trim().to_owned());
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Env {
        Env(vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect())
    }

    #[test]
    fn targets() {
        let t = Target::parse("swift://boot/site-a/v2").unwrap();
        assert_eq!(
            (t.kind, t.container.as_str(), t.prefix.as_str()),
            (Kind::Swift, "boot", "site-a/v2")
        );
        assert_eq!(t.key("boot.ipxe"), "site-a/v2/boot.ipxe");
        let t = Target::parse("s3://bucket/").unwrap();
        assert_eq!((t.kind, t.prefix.as_str()), (Kind::S3, ""));
        assert_eq!(t.key("boot.ipxe"), "boot.ipxe");
        for bad in [
            "http://x",
            "swift://",
            "swift:///x",
            "s3://b/a//c",
            "s3://b/../c",
            "s3://b/a?x",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn swift_credentials_as_the_swift_client_reads_them() {
        let v1 = env(&[
            ("ST_AUTH", "http://h/auth/v1.0"),
            ("ST_USER", "a:u"),
            ("ST_KEY", "k"),
        ]);
        assert!(matches!(SwiftAuth::from_env(&v1), Ok(SwiftAuth::V1 { .. })));
        let os_v1 = env(&[
            ("OS_AUTH_URL", "http://h/auth/v1.0"),
            ("OS_USERNAME", "a:u"),
            ("OS_PASSWORD", "k"),
        ]);
        assert!(matches!(
            SwiftAuth::from_env(&os_v1),
            Ok(SwiftAuth::V1 { .. })
        ));
        let ks = env(&[
            ("OS_AUTH_URL", "http://h:5000"),
            ("OS_USERNAME", "u"),
            ("OS_PASSWORD", "p"),
            ("OS_PROJECT_NAME", "pr"),
        ]);
        match SwiftAuth::from_env(&ks).unwrap() {
            SwiftAuth::Keystone {
                url,
                user_domain,
                interface,
                ..
            } => {
                assert_eq!(
                    (url.as_str(), user_domain.as_str(), interface.as_str()),
                    ("http://h:5000/v3", "Default", "public")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(SwiftAuth::from_env(&env(&[])).is_err());
    }

    #[test]
    fn a_cloud_of_clouds_yaml() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("clouds.yaml");
        std::fs::write(
            &file,
            "clouds:\n  lab:\n    auth:\n      auth_url: http://192.0.2.5:5000\n      username: ops\n      password: pw\n      project_name: boot\n      domain_name: Lab\n    region_name: r1\n  old:\n    auth_type: v1password\n    auth:\n      auth_url: http://192.0.2.5/auth/v1.0\n      username: a:u\n      password: k\n",
        )
        .unwrap();
        let e = env(&[
            ("OS_CLIENT_CONFIG_FILE", file.to_str().unwrap()),
            ("OS_CLOUD", "lab"),
        ]);
        assert_eq!(
            SwiftAuth::from_env(&e).unwrap(),
            SwiftAuth::Keystone {
                url: "http://192.0.2.5:5000/v3".into(),
                user: "ops".into(),
                password: "pw".into(),
                project: "boot".into(),
                user_domain: "Lab".into(),
                project_domain: "Lab".into(),
                region: Some("r1".into()),
                interface: "public".into(),
            }
        );
        let e = env(&[
            ("OS_CLIENT_CONFIG_FILE", file.to_str().unwrap()),
            ("OS_CLOUD", "old"),
        ]);
        assert!(matches!(SwiftAuth::from_env(&e), Ok(SwiftAuth::V1 { .. })));
        let e = env(&[
            ("OS_CLIENT_CONFIG_FILE", file.to_str().unwrap()),
            ("OS_CLOUD", "none"),
        ]);
        assert!(
            SwiftAuth::from_env(&e)
                .unwrap_err()
                .contains("no cloud \"none\"")
        );
    }

    #[test]
    fn s3_credentials_and_endpoint() {
        let e = env(&[
            ("AWS_ACCESS_KEY_ID", "k"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            ("HOME", "/nonexistent"),
        ]);
        let a = S3Auth::from_env(&e, Some("http://127.0.0.1:8080/")).unwrap();
        assert_eq!(
            (a.endpoint.as_str(), a.path_style, a.region.as_str()),
            ("http://127.0.0.1:8080", true, "us-east-1")
        );
        let a = S3Auth::from_env(&e, None).unwrap();
        assert_eq!(
            (a.endpoint.as_str(), a.path_style),
            ("https://s3.us-east-1.amazonaws.com", false)
        );
        assert!(S3Auth::from_env(&env(&[("HOME", "/nonexistent")]), None).is_err());
    }
}
