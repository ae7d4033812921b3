#!/usr/bin/env bash
# Run apt-get against a private sources list so the host's apt configuration
# stays untouched.  The mirror is taken from the machine's own Debian entry;
# no mirror host is written into the repository.
#
# usage: apt-private.sh NAME "SUITE..." apt-get-args...
#   NAME   directory under build/apt/ holding the private lists
#   SUITE  one or more Debian suites to list (e.g. "bookworm bookworm-backports")
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
name=$1 suites=$2
shift 2

debian_mirror() {
	local uri
	if [ -n "${DEBIAN_MIRROR:-}" ]; then
		echo "$DEBIAN_MIRROR"
		return
	fi
	# deb822 sources first, then one-line sources.
	uri=$(awk '
		/^URIs:/ { u = $2 }
		/^Suites:/ && u ~ /debian\/?$/ && u !~ /security/ { print u; exit }
	' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
	if [ -z "$uri" ]; then
		uri=$(awk '$1 == "deb" && $0 !~ /security/ {
			for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit }
		}' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -1 || true)
	fi
	if [ -z "$uri" ]; then
		echo "apt-private: no Debian mirror found in /etc/apt/sources*; set DEBIAN_MIRROR=URL" >&2
		exit 1
	fi
	echo "${uri%/}"
}

dir=$top/build/apt/$name
mkdir -p "$dir/lists/partial" "$dir/archives/partial"
mirror=$(debian_mirror)
: > "$dir/sources.list"
for s in $suites; do
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $s main" >> "$dir/sources.list"
done

opts=(-o "Dir::Etc::sourcelist=$dir/sources.list"
      -o "Dir::Etc::sourceparts=-"
      -o "Dir::State::Lists=$dir/lists"
      -o "APT::Get::List-Cleanup=0")

stamp=$dir/updated
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +720)" ] ||
   ! cmp -s "$dir/sources.list" "$stamp"; then
	apt-get "${opts[@]}" -q update >&2
	cp "$dir/sources.list" "$stamp"
fi
exec apt-get "${opts[@]}" "$@"
