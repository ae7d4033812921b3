#!/usr/bin/env bash
# Run apt-get against a private sources list so the host's apt configuration
# stays untouched.  The mirror is taken from the machine's own Debian entry;
# no mirror host is written into the repository.
#
# usage: apt-private.sh NAME "SUITE..." apt-get-args...
#   NAME   directory under build/apt/ holding the private lists
#   SUITE  one or more Debian suites to list (e.g. "bookworm bookworm-backports");
#          a suite ending in -security is taken from the machine's security
#          mirror, if it has one
# DEBIAN_MIRROR=URL (and DEBIAN_SECURITY_MIRROR=URL) override the mirrors.
# APT_SOURCES=1 lists the suites' source packages (deb-src) instead, for
# "apt-get source".
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
name=$1 suites=$2
shift 2

# find_uri security|main: the URI of the machine's Debian (or Debian
# security) entry: deb822 sources first, then one-line sources.
find_uri() {
	local want=$1 uri
	uri=$(awk -v want="$want" '
		/^URIs:/ { u = $2 }
		/^Suites:/ && ((want == "security") == (u ~ /security/ || $0 ~ /-security/)) &&
			u ~ /debian/ { print u; exit }
	' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
	if [ -z "$uri" ]; then
		uri=$(awk -v want="$want" '$1 == "deb" && ((want == "security") == ($0 ~ /security/)) {
			for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; exit }
		}' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -1 || true)
	fi
	# Debian cloud images: "mirror+file:///etc/apt/mirrors/debian.list".
	case "$uri" in
	mirror+file://*)
		uri=$(grep -m1 -oE '^https?://[^[:space:]]+' "${uri#mirror+file://}" 2>/dev/null || true) ;;
	esac
	echo "${uri%/}"
}

debian_mirror() {
	local uri=${DEBIAN_MIRROR:-$(find_uri main)}
	if [ -z "$uri" ]; then
		echo "apt-private: no Debian mirror found in /etc/apt/sources*; set DEBIAN_MIRROR=URL" >&2
		exit 1
	fi
	echo "$uri"
}

dir=$top/build/apt/$name
mkdir -p "$dir/lists/partial" "$dir/archives/partial"
mirror=$(debian_mirror)
: > "$dir/sources.list"
kind=deb
[ "${APT_SOURCES:-0}" != 1 ] || kind=deb-src
for s in $suites; do
	m=$mirror
	if [ "${s%-security}" != "$s" ]; then
		m=${DEBIAN_SECURITY_MIRROR:-$(find_uri security)}
		[ -n "$m" ] || continue
	fi
	echo "$kind [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $m $s main" >> "$dir/sources.list"
done

opts=(-o "Dir::Etc::sourcelist=$dir/sources.list"
      -o "Dir::Etc::sourceparts=-"
      -o "Dir::State::Lists=$dir/lists"
      -o "APT::Get::List-Cleanup=0"
      -o "APT::Sandbox::User=root"
      -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=")

stamp=$dir/updated
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +720)" ] ||
   ! cmp -s "$dir/sources.list" "$stamp"; then
	apt-get "${opts[@]}" -q update >&2
	cp "$dir/sources.list" "$stamp"
fi
exec apt-get "${opts[@]}" "$@"
