//! Configuration for the DHCP servers people run, rendered from a site: dnsmasq, ISC dhcpd
//! (v4 and v6), Kea (kea-dhcp4, kea-dhcp6) and OpenStack Neutron's `extra_dhcp_opts`.
