#!/bin/bash
# layers.sh [SRC] - the layers and rooms of docs/architecture.md, held
# against the source text (the build's nm check, cmake/check_layers.sh,
# holds the calls):
#   - each layer includes only the headers of the layers it may use (the
#     doors no store/ or mail/ header; the light front util/ and its
#     fast path, store/sqlite_gate.h and store/sqlite_setup.h);
#   - no string literal that reads as SQL outside src/store and src/app;
#   - the rooms of src/app include one another one way only:
#     base <- config <- ticket <- billing <- intake <- ops, access <- base
#     (a room includes only rooms before it: no cycle can form).
# Prints one line per breach and fails; passes silently.
set -u
export LC_ALL=C
src=${1:-${SOPORTE_SRC:-$(dirname "$0")/..}}/src
cd "$src" || exit 1
fail=0
breach() {
	echo "layers: $*"
	fail=1
}

# The layers each layer's headers may come from (besides its own).
declare -A may=(
	[util]=""
	[core]="util"
	[store]="util"
	[mail]="util"
	[render]="util"
	[app]="util core store mail render"
	[http]="util core app"
	[cli]="util core app http"
	[front]="util"
)
front_fast_path="store/sqlite_gate.h store/sqlite_setup.h"

for layer in "${!may[@]}"; do
	while IFS=: read -r file line text; do
		inc=${text#*\"}
		inc=${inc%%\"*}
		top=${inc%%/*}
		[[ $inc == */* ]] || continue          # a header of the same folder
		[[ $top == "$layer" ]] && continue
		[[ " ${may[$layer]} " == *" $top "* ]] && continue
		[[ $layer == front && " $front_fast_path " == *" $inc "* ]] && continue
		allowed=${may[$layer]:-no other layer}
		[[ $layer == front ]] && allowed+=" and $front_fast_path"
		breach "src/$file:$line: src/$layer may include $allowed, not $inc"
	done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' \
	             --include='*.c' --include='*.h' "$layer")
done

while IFS=: read -r file line text; do
	breach "src/$file:$line: SQL outside src/store and src/app (an app function runs it): ${text#"${text%%[![:space:]]*}"}"
done < <(grep -rnE '"(SELECT|INSERT|UPDATE|DELETE|WITH) ' --include='*.c' \
             --include='*.h' . | sed 's|^\./||' | grep -vE '^(store|app)/')

# The rooms of src/app by rank: a room includes only lower ranks.
declare -A rank=([base]=0 [config]=1 [access]=1 [ticket]=2 [billing]=3
                 [intake]=4 [ops]=5)
for room in app/*/; do
	room=${room#app/}
	room=${room%/}
	if [[ ! -v "rank[$room]" ]]; then
		breach "src/app/$room: a room not in the order (tests/layers.sh, docs/architecture.md)"
		continue
	fi
	while IFS=: read -r file line text; do
		inc=${text#*\"app/}
		inc=${inc%%\"*}
		to=${inc%%/*}
		[[ $to == "$room" ]] && continue
		if [[ ! -v "rank[$to]" ]] || (( rank[$to] >= rank[$room] )); then
			breach "src/$file:$line: room $room includes app/$inc, against the order base <- config <- ticket <- billing <- intake <- ops, access <- base"
		fi
	done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"app/' \
	             --include='*.c' --include='*.h' "app/$room")
done
exit $fail
