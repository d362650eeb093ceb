#!/usr/bin/env bash
# Writes the configuration of a one-node OpenStack Swift (Debian's swift packages) into DIR:
# rings, swift.conf and the proxy, account, container and object servers' configs, all on
# 127.0.0.1 from port BASE (proxy BASE, account BASE+1, container BASE+2, object BASE+3,
# memcached BASE+4), with tempauth (user test:tester, key testing, reseller admin) and the
# s3api middleware (access key test:tester, secret testing). Starts nothing: the test starts
# each server itself, bounded in time, and kills it after. `workers = 0`: each server is one
# process (no forked workers that could outlive it).
#
#   bash tests/swift/setup.sh DIR BASE
set -euo pipefail
dir=$1
base=$2
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
workers = 0
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
workers = 0
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
