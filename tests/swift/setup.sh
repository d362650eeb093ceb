#!/usr/bin/env bash
# Writes the configuration of a one-node OpenStack Swift (Debian's swift packages) into DIR:
# rings, swift.conf and the proxy, account, container and object servers' configs, all on
# 127.0.0.1 from port BASE (proxy BASE, account BASE+1, container BASE+2, object BASE+3,
# memcached BASE+4), with tempauth (user test:tester, key testing, reseller admin) and the
# s3api middleware (access key test:tester, secret testing). Starts nothing: the test starts
# each server itself, bounded in time, and kills it after. `workers = 0`: each server is one
# process (no forked workers that could outlive it).
#
#   bash tests/swift/setup.sh DIR BASE [WORKERS [KEYSTONE_PORT]]
#
# WORKERS (default 0: one process per server, as the tests want) forks that many workers per
# server, for the benchmark. With KEYSTONE_PORT, a second proxy (proxy-keystone-server.conf,
# port BASE+5) authenticates with the Keystone there (tests/swift/keystone.sh: user admin,
# password secret, project admin) through keystonemiddleware's auth_token and Swift's
# keystoneauth.
set -euo pipefail
dir=$1
base=$2
workers=${3:-0}
keystone=${4:-}
mkdir -p "$dir/srv/d1" "$dir/run" "$dir/cache"
cd "$dir"
cat > swift.conf <<CONF
[swift-hash]
swift_hash_path_prefix = ipxegen-test
swift_hash_path_suffix = ipxegen-test

[storage-policy:0]
name = gold
default = yes
CONF
for ring in account:1 container:2 object:3; do
    name=${ring%%:*}
    port=$((base + ${ring##*:}))
    swift-ring-builder "$name.builder" create 6 1 1 >/dev/null
    swift-ring-builder "$name.builder" add --region 1 --zone 1 --ip 127.0.0.1 --port "$port" \
        --device d1 --weight 100 >/dev/null
    swift-ring-builder "$name.builder" rebalance >/dev/null
    cat > "$name-server.conf" <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
workers = $workers
user = $(id -un)
swift_dir = $dir
devices = $dir/srv
mount_check = false
log_name = $name-server
log_level = WARNING
log_address = /nonexistent

[pipeline:main]
pipeline = $name-server

[app:$name-server]
use = egg:swift#$name
CONF
done
cat > proxy-server.conf <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $base
workers = $workers
user = $(id -un)
swift_dir = $dir
log_name = proxy-server
log_level = WARNING
log_address = /nonexistent

[pipeline:main]
pipeline = catch_errors gatekeeper proxy-logging cache listing_formats bulk tempurl s3api tempauth copy slo dlo symlink proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
# A server that failed is tried again after 1 s (default 60 s), so that one a test restarts
# serves again at once.
error_suppression_interval = 1

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
user_admin_admin = admin .admin .reseller_admin

[filter:s3api]
use = egg:swift#s3api
location = us-east-1

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$((base + 4))

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:bulk]
use = egg:swift#bulk

[filter:tempurl]
use = egg:swift#tempurl

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo

[filter:symlink]
use = egg:swift#symlink
CONF
if [ -n "$keystone" ]; then
    sed -e "s/^bind_port = $base\$/bind_port = $((base + 5))/" \
        -e 's/^pipeline = .*/pipeline = catch_errors gatekeeper proxy-logging cache listing_formats bulk tempurl authtoken keystoneauth copy slo dlo symlink proxy-logging proxy-server/' \
        proxy-server.conf > proxy-keystone-server.conf
    cat >> proxy-keystone-server.conf <<CONF

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = http://127.0.0.1:$keystone/v3
auth_url = http://127.0.0.1:$keystone/v3
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = admin
username = admin
password = secret
delay_auth_decision = True
memcached_servers = 127.0.0.1:$((base + 4))

[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin
CONF
fi
