# The policy-routing story of examples/policy-routing.ip, captured: setup, then the part
# recorded from capture_start on.
ip link add name wan0 up type veth peer name wan0-p
ip link set dev wan0-p up
ip link add name wan1 up type veth peer name wan1-p
ip link set dev wan1-p up
ip addr add 192.0.2.10/24 dev wan0
ip addr add 198.51.100.10/24 dev wan1
ip route add default via 192.0.2.1
settle
capture_start
ip route add default via 198.51.100.1 dev wan1 table 100
ip rule add from 198.51.100.0/24 lookup 100 priority 1000
settle
ip link set dev wan1 down
settle
