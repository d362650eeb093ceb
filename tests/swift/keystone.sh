#!/usr/bin/env bash
# A Keystone (Debian's python3-keystone) for the Swift tests, in DIR, on 127.0.0.1:PORT:
#
#   bash tests/swift/keystone.sh setup DIR PORT
#       writes DIR/keystone.conf (sqlite database, fernet tokens, all in DIR), creates the
#       database and bootstraps user admin (password "secret") in project admin, region
#       RegionOne, with Keystone's own endpoints. Starts nothing: the test runs
#       `keystone-wsgi-public --host 127.0.0.1 --port PORT` with
#       OS_KEYSTONE_CONFIG_FILES=DIR/keystone.conf, bounded in time, and kills it after.
#   bash tests/swift/keystone.sh catalog PORT SWIFT_PORT
#       once it answers: adds the object-store service with a public endpoint
#       http://127.0.0.1:SWIFT_PORT/v1/AUTH_$(project_id)s in RegionOne.
set -euo pipefail
case $1 in
setup)
    dir=$2
    port=$3
    mkdir -p "$dir"
    cat > "$dir/keystone.conf" <<CONF
[DEFAULT]
use_stderr = true
[database]
connection = sqlite:///$dir/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = $dir/fernet-keys
[fernet_receipts]
key_repository = $dir/fernet-receipts
[credential]
key_repository = $dir/credential-keys
CONF
    manage() { keystone-manage --config-file "$dir/keystone.conf" "$@" >>"$dir/manage.log" 2>&1; }
    manage db_sync
    manage fernet_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
    manage credential_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
    manage bootstrap --bootstrap-password secret --bootstrap-region-id RegionOne \
        --bootstrap-admin-url "http://127.0.0.1:$port/v3" \
        --bootstrap-internal-url "http://127.0.0.1:$port/v3" \
        --bootstrap-public-url "http://127.0.0.1:$port/v3"
    ;;
catalog)
    port=$2
    swift_port=$3
    url=http://127.0.0.1:$port/v3
    token=$(curl -sf -D - -o /dev/null -H 'Content-Type: application/json' -d \
        '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","domain":{"name":"Default"},"password":"secret"}}},"scope":{"project":{"name":"admin","domain":{"name":"Default"}}}}}' \
        "$url/auth/tokens" | tr -d '\r' | awk 'tolower($1) == "x-subject-token:" {print $2}')
    service=$(curl -sf -H "X-Auth-Token: $token" -H 'Content-Type: application/json' \
        -d '{"service": {"type": "object-store", "name": "swift"}}' "$url/services" |
        /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["service"]["id"])')
    curl -sf -o /dev/null -H "X-Auth-Token: $token" -H 'Content-Type: application/json' \
        -d "{\"endpoint\": {\"service_id\": \"$service\", \"interface\": \"public\", \"region_id\": \"RegionOne\", \"url\": \"http://127.0.0.1:$swift_port/v1/AUTH_\$(project_id)s\"}}" \
        "$url/endpoints"
    ;;
*)
    echo "usage: keystone.sh setup DIR PORT | catalog PORT SWIFT_PORT" >&2
    exit 64
    ;;
esac
