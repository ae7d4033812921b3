# Shared helpers for the harness scripts (sourced).

# with_progress LABEL CMD...: run CMD; every 60 s print "LABEL: still running
# (N s)" on stderr so a long build in CI shows it is alive.
with_progress() {
	local label=$1 start ticker rc
	shift
	start=$(date +%s)
	(
		while sleep 60; do
			printf '%s: still running (%d s)\n' "$label" "$(($(date +%s) - start))" >&2
		done
	) &
	ticker=$!
	# (a list, so that errexit in the caller cannot leave the ticker behind)
	"$@" && rc=0 || rc=$?
	kill "$ticker" 2>/dev/null || true
	wait "$ticker" 2>/dev/null || true
	return $rc
}
