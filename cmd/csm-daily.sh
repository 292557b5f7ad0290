#!/bin/sh
# csm-daily: the daily run, for cron. Reads the log sources of the
# configuration's [daily] section (through csm-config: the INI file is
# parsed by the C side only), parses one day of each kind of log with
# csm-parse, runs every check that applies to that kind and is installed,
# then csm-report, and writes the report to a directory, mails it, or
# prints it. Each stage's messages are kept in the report's footer; the
# exit status is the worst of the run (csm-daily(1)).
set -u

prog=csm-daily
version=0.1.0
tab=$(printf '\t')
nl='
'

usage() {
	cat >&2 <<'EOF'
usage: csm-daily [-c file] [--date yesterday|today|yyyy-mm-dd]
                 [--output dir] [--mail-to addr] [--work dir]
Try 'csm-daily --help' for more information.
EOF
	exit 2
}

help() {
	cat <<'EOF'
usage: csm-daily [-c file] [--date yesterday|today|yyyy-mm-dd]
                 [--output dir] [--mail-to addr] [--work dir]

Runs csm over one day of the logs named in the configuration's [daily]
section: csm-parse, the checks that apply to each kind of log, then
csm-report; writes the report to a directory, mails it, or prints it.

  -c, --config file     configuration file (see csm.conf(5))
      --date when       the day: yesterday (the default), today or
                        yyyy-mm-dd, in the site's time zone
      --output dir      write the reports into dir (as [daily] output)
      --mail-to addr    mail the report to addr (repeatable; as [daily]
                        mail-to), through $SENDMAIL or /usr/sbin/sendmail
      --work dir        keep the day's events, findings and notes in dir
  -h, --help            show this help and exit
  -V, --version         show the version and exit

Exit status: 0 all good, 1 finished with warnings (rejected lines, a
source without files, a check not installed; see the report's footer),
2 usage or configuration error, 3 a stage failed or the report was not
written or mailed.
EOF
	exit 0
}

die() {
	printf '%s: %s\n' "$prog" "$1" >&2
	exit "${2:-3}"
}

conf="" when=yesterday output="" mail_to="" work=""
while [ $# -gt 0 ]; do
	opt=$1
	case $opt in
	--*=*) arg=${opt#*=}; opt=${opt%%=*}; shift; set -- "$opt" "$arg" "$@" ;;
	esac
	case $opt in
	-c|--config|--date|--output|--mail-to|--work)
		[ $# -ge 2 ] || { echo "$prog: option '$opt' needs a value" >&2; usage; }
		arg=$2
		shift 2
		case $opt in
		-c|--config) conf=$arg ;;
		--date) when=$arg ;;
		--output) output=$arg ;;
		--mail-to) mail_to="${mail_to:+$mail_to }$arg" ;;
		--work) work=$arg ;;
		esac
		;;
	-c*) conf=${opt#-c}; shift ;;
	-h|--help) help ;;
	-V|--version) echo "$prog $version"; exit 0 ;;
	--) shift; break ;;
	-*) echo "$prog: unknown option '$opt'" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -eq 0 ] || { echo "$prog: unexpected argument '$1'" >&2; usage; }
case $mail_to in *"$nl"*) echo "$prog: bad --mail-to" >&2; usage ;; esac

# The programs installed with this one come first (cron's PATH is short).
case $0 in
*/*)
	# CDPATH would make cd print the directory into $here.
	if here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd); then
		PATH=$here${PATH:+:$PATH}
		export PATH
	fi
	;;
esac
for p in csm-config csm-parse csm-report; do
	command -v "$p" >/dev/null 2>&1 || die "'$p' not found on PATH" 2
done

# csm-config with the command line's overrides; it checks the whole file.
cfg() {
	[ -z "$mail_to" ] || set -- --set "daily.mail-to=$mail_to" "$@"
	[ -z "$conf" ] || set -- -c "$conf" "$@"
	csm-config "$@"
}

zone=$(cfg get site.timezone) || exit 2
day=$(cfg day "$when" 2>/dev/null) ||
    { echo "$prog: bad --date '$when'" >&2; usage; }
file=$(cfg get file) || exit 2
[ -n "$file" ] || die "no configuration file (give -c or see csm.conf(5))" 2
shown=$file
# The checks and csm-report run in the work directory, so that their
# messages name the files there shortly: paths must not be relative.
case $file in /*) ;; *) file=$PWD/$file ;; esac
checks=$(cfg get daily.checks | tr '\n' ' ') || exit 2
formats=$(cfg get daily.formats | tr '\n' ' ') || exit 2
outdir=$output
[ -n "$outdir" ] || outdir=$(cfg get daily.output) || exit 2
rcpts=$(cfg get daily.mail-to | awk 'NR > 1 { printf ", " } { printf "%s", $0 }') ||
    exit 2
ioc_lists=$(cfg get lists.ioc) || exit 2

# The work directory: kept when named, else private and removed at exit.
keep=1
if [ -z "$work" ]; then
	keep=0
	work=$(mktemp -d "${TMPDIR:-/tmp}/csm-daily.XXXXXX" 2>/dev/null) || {
		work=${TMPDIR:-/tmp}/csm-daily.$$
		mkdir -m 700 "$work" || die "cannot make a work directory"
	}
	trap 'rm -rf "$work"' EXIT
	trap 'exit 3' HUP INT TERM
else
	mkdir -p "$work" || die "cannot make the work directory '$work'"
	case $work in /*) ;; *) work=$PWD/$work ;; esac
	rm -f "$work"/*.findings "$work"/*.events
fi
notes=$work/notes
: >"$notes" || die "cannot write in '$work'"
cfg sources >"$work/sources" || exit 2
[ -s "$work/sources" ] ||
    die "no log sources in [daily] of '$shown' (see csm-daily(1))" 2

status=0
worse() { [ "$1" -le "$status" ] || status=$1; }
note() { printf '%s: %s\n' "$prog" "$1" >>"$notes"; }

# Folds a stage's messages ($2) into the notes and its status ($3) into
# ours: its rejected lines are warnings, anything worse means the report
# lacks what $4 says.
stage() {
	[ ! -s "$2" ] || cat "$2" >>"$notes"
	case $3 in
	0) ;;
	1) worse 1 ;;
	*)
		if [ "$3" -gt 128 ]; then
			note "$1 was killed by signal $(($3 - 128)): $4 incomplete"
		else
			note "$1 failed (exit status $3): $4 incomplete"
		fi
		worse 3
		;;
	esac
}

# Files not written since the day began hold nothing of it: not read.
# Where summer time starts at midnight (America/Santiago, Asia/Beirut)
# the day begins at 01:00: midnight does not exist there.
daystart=$work/day-start
{ TZ=$zone touch -t "$(echo "$day" | tr -d -)0000" "$daystart" ||
    TZ=$zone touch -t "$(echo "$day" | tr -d -)0100" "$daystart"; } \
    2>/dev/null || die "cannot set the time of '$daystart'"

# The full path of program $1 on PATH, or failure.
prog_path() {
	p=$(command -v "$1" 2>/dev/null) || return 1
	case $p in /*) ;; */*) p=$PWD/$p ;; *) return 1 ;; esac
	echo "$p"
}
report_prog=$(prog_path csm-report) || die "'csm-report' not found on PATH" 2

# The checks that read each kind of log (csm-daily(1) has the table).
checks_of() {
	case $1 in
	proxy) echo "offhours proxycheck beacon ioc" ;;
	firewall) echo "fwdirect offhours ioc" ;;
	dns) echo "ioc" ;;
	mail) echo "mailcheck ioc" ;;
	auth) echo "authcheck" ;;
	esac
}

# Whether file $1 is one of the files after it (by identity, not name:
# two globs, or a link, may name one file).
listed() {
	_file=$1
	shift
	for _other; do
		[ ! "$_file" -ef "$_other" ] || return 0
	done
	return 1
}

# Parses the day of one kind of log into $work/KIND.events; returns 1
# when there is nothing to check.
parse_kind() {
	kind=$1 fmt=auto nmatch=0
	set --
	while IFS=$tab read -r k f pat; do
		[ "$k" = "$kind" ] || continue
		fmt=$f
		found=0
		oldifs=$IFS
		IFS=
		# A file of that very name is no pattern (its directory may
		# have '[' in it).
		[ ! -e "$pat" ] || set -f
		for x in $pat; do
			IFS=$oldifs
			# A mail folder (Maildir) is a directory: it counts
			# when a message in it is new enough.
			prune=-prune
			if [ -d "$x" ] && [ "$kind" = mail ]; then
				prune=
			elif [ ! -f "$x" ]; then
				continue
			fi
			found=1
			nmatch=$((nmatch + 1))
			case $x in -*) x=./$x ;; esac
			[ -n "$(find "$x" $prune -newer "$daystart" -print |
			    head -n 1)" ] || continue
			# Its events would count twice (uploads, beats).
			if listed "$x" "$@"; then
				note "$kind: '$x' is matched twice, read once"
				continue
			fi
			set -- "$@" "$x"
		done
		set +f
		IFS=$oldifs
		if [ "$found" = 0 ]; then
			note "$kind: no file matches '$pat'"
			worse 1
		fi
	done <"$work/sources"
	if [ $# -eq 0 ]; then
		if [ "$nmatch" -gt 0 ]; then
			if [ "$nmatch" = 1 ]; then
				note "$kind: its file was not written on or after $day"
			else
				note "$kind: none of its $nmatch files was written on or after $day"
			fi
			worse 1
		fi
		return 1
	fi
	csm-parse --quiet -f "$fmt" --tz "$zone" --since "$day" --until "$day" \
	    "$@" >"$work/$kind.events" 2>"$work/$kind.parse.err"
	stage "csm-parse ($kind)" "$work/$kind.parse.err" $? \
	    "the $kind events are"
	if [ -z "$(sed -n '2{s/.*/x/p;q;}' "$work/$kind.events")" ]; then
		files="files"
		[ $# != 1 ] || files="file"
		note "$kind: no event on $day in $# $files"
		worse 1
	fi
	return 0
}

run_checks() {
	kind=$1
	for c in $(checks_of "$kind"); do
		case " $checks " in *" $c "*) ;; *) continue ;; esac
		if ! path=$(prog_path "csm-$c"); then
			echo "csm-$c $kind" >>"$work/missing"
			worse 1
			continue
		fi
		if [ "$c" = ioc ] && [ -z "$ioc_lists" ]; then
			no_ioc=1
			continue
		fi
		(cd "$work" && exec "$path" -c "$file" "$kind.events" \
		    >"$c-$kind.findings" 2>"$c-$kind.err")
		stage "csm-$c ($kind)" "$work/$c-$kind.err" $? "its findings are"
	done
}

# Each program that will run reads its section of the configuration now,
# on no input: a mistake there stops the run before any log is read, as
# csm-config's do.
prechecked=" "
precheck() {
	case $prechecked in *" $1 "*) return 0 ;; esac
	prechecked="$prechecked$1 "
	(cd "$work" && exec "$1" -c "$file" </dev/null >/dev/null 2>precheck.err)
	if [ $? = 2 ]; then
		cat "$work/precheck.err" >&2
		exit 2
	fi
}
precheck "$report_prog"
for kind in proxy firewall dns mail auth; do
	grep -q "^$kind$tab" "$work/sources" || continue
	for c in $(checks_of "$kind"); do
		case " $checks " in *" $c "*) ;; *) continue ;; esac
		[ "$c" != ioc ] || [ -n "$ioc_lists" ] || continue
		! path=$(prog_path "csm-$c") || precheck "$path"
	done
done

no_ioc=0
: >"$work/missing"
for kind in proxy firewall dns mail auth; do
	grep -q "^$kind$tab" "$work/sources" || continue
	parse_kind "$kind" || continue
	run_checks "$kind"
	[ "$keep" = 1 ] || rm -f "$work/$kind.events"
done
# One note per check that could not run, naming the kinds it missed.
awk '!($1 in k) { order[++n] = $1; k[$1] = $2; next } { k[$1] = k[$1] " and " $2 }
    END { for (i = 1; i <= n; i++) print order[i], k[order[i]] }' "$work/missing" |
while read -r c k; do
	note "$c is not installed: the $k events were not checked by it"
done
[ "$no_ioc" = 0 ] ||
    note "csm-ioc not run: no indicator lists ([lists] ioc in csm.conf)"

# The report: text (the mail's body) and HTML as asked.
report() {
	form=$1 dst=$2
	(
		cd "$work" || exit 3
		set -- *.findings
		[ -e "$1" ] || set --
		[ ! -s notes ] || set -- --notes notes "$@"
		[ "$form" = text ] || set -- "--$form" "$@"
		exec "$report_prog" -c "$file" --date "$day" "$@" </dev/null >"$dst"
	)
	st=$?
	case $st in
	0) ;;
	1) worse 1 ;;
	*) echo "$prog: csm-report failed (exit status $st)" >&2; worse 3 ;;
	esac
	return "$st"
}

# Only what is written, mailed or printed is made: printed is the text,
# or the HTML page when the formats leave text out.
has_form() { case " $formats " in *" $1 "*) return 0 ;; esac; return 1; }
want_text=0 want_html=0
has_form text && want_text=1
has_form html && want_html=1
[ -z "$rcpts" ] || want_text=1
if [ -z "$outdir$rcpts" ] && [ "$want_text" = 1 ]; then
	want_html=0
fi
# A report csm-report could not finish is not passed off as the day's:
# it is not published (an earlier good file stays), the mail says that it
# failed instead, and the HTML is not attached.
text_ok=1 html_ok=1
if [ "$want_text" = 1 ]; then
	report text report.txt || [ $? = 1 ] || {
		text_ok=0
		printf '%s: the report for %s could not be made (csm-report failed); see the messages of this run.\n' \
		    "$prog" "$day" >"$work/report.txt"
	}
fi
if [ "$want_html" = 1 ]; then
	report html report.html || [ $? = 1 ] || html_ok=0
fi

# Writes $1 as $2 whole or not at all.
publish() {
	cp "$1" "$2.tmp" && mv "$2.tmp" "$2" && return 0
	rm -f "$2.tmp"
	echo "$prog: cannot write '$2'" >&2
	worse 3
}

# base64 (RFC 2045, 76 columns) of a file, with od and awk alone; with
# "word", the RFC 2047 encoded words of a UTF-8 header value instead, each
# at most 39 bytes and never splitting a character.
b64() {
	od -An -v -tu1 "$2" | awk -v mode="$1" '
	BEGIN {
		a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		for (i = 0; i < 64; i++) c[i] = substr(a, i + 1, 1)
		n = 0; line = ""; words = 0
	}
	function enc(    s, i, x) {
		s = ""
		for (i = 0; i + 2 < n; i += 3) {
			x = b[i] * 65536 + b[i + 1] * 256 + b[i + 2]
			s = s c[int(x / 262144)] c[int(x / 4096) % 64] \
			    c[int(x / 64) % 64] c[x % 64]
		}
		if (n - i == 1) {
			x = b[i] * 65536
			s = s c[int(x / 262144)] c[int(x / 4096) % 64] "=="
		} else if (n - i == 2) {
			x = b[i] * 65536 + b[i + 1] * 256
			s = s c[int(x / 262144)] c[int(x / 4096) % 64] \
			    c[int(x / 64) % 64] "="
		}
		n = 0
		return s
	}
	function word() {
		if (n == 0) return
		printf "%s=?UTF-8?B?%s?=", (words++ ? "\n " : ""), enc()
	}
	{
		for (f = 1; f <= NF; f++) {
			v = $f + 0
			if (mode == "word") {
				# A new word before a lead byte, when full.
				if (n >= 36 && (v < 128 || v >= 192)) word()
				b[n++] = v
			} else {
				b[n++] = v
				if (n == 57) print enc()
			}
		}
	}
	END {
		if (mode == "word") { word(); print "" }
		else if (n > 0) print enc()
	}'
}

mail_report() {
	subject="$(cfg get daily.subject) $day"
	from=$(cfg get daily.mail-from)
	printf '%s' "$subject" >"$work/subject"
	if LC_ALL=C grep -q '[^ -~]' "$work/subject"; then
		subject=$(b64 word "$work/subject")
	fi
	boundary="=_csm-daily_$day"
	{
		[ -z "$from" ] || printf 'From: %s\n' "$from"
		printf 'To: %s\n' "$rcpts"
		printf 'Subject: %s\n' "$subject"
		printf 'Auto-Submitted: auto-generated\n'
		printf 'MIME-Version: 1.0\n'
		if [ "$want_html$html_ok" = 11 ]; then
			printf 'Content-Type: multipart/mixed; boundary="%s"\n\n' \
			    "$boundary"
			printf 'This is a MIME message.\n\n--%s\n' "$boundary"
		fi
		printf 'Content-Type: text/plain; charset=UTF-8\n'
		printf 'Content-Transfer-Encoding: base64\n\n'
		b64 body "$work/report.txt"
		if [ "$want_html$html_ok" = 11 ]; then
			printf '\n--%s\n' "$boundary"
			printf 'Content-Type: text/html; charset=UTF-8\n'
			printf 'Content-Disposition: attachment; filename="csm-report-%s.html"\n' \
			    "$day"
			printf 'Content-Transfer-Encoding: base64\n\n'
			b64 body "$work/report.html"
			printf '\n--%s--\n' "$boundary"
		fi
	} >"$work/mail" || { worse 3; return; }
	"${SENDMAIL:-/usr/sbin/sendmail}" -t -oi <"$work/mail"
	st=$?
	if [ "$st" != 0 ]; then
		echo "$prog: ${SENDMAIL:-/usr/sbin/sendmail} failed (exit status $st): the report was not mailed" >&2
		worse 3
	fi
}

if [ -n "$outdir" ]; then
	mkdir -p "$outdir" || { echo "$prog: cannot make '$outdir'" >&2; worse 3; }
	[ "$want_text$text_ok" != 11 ] || ! has_form text ||
		publish "$work/report.txt" "$outdir/csm-report-$day.txt"
	[ "$want_html$html_ok" != 11 ] ||
		publish "$work/report.html" "$outdir/csm-report-$day.html"
fi
[ -z "$rcpts" ] || mail_report
if [ -z "$outdir$rcpts" ]; then
	if [ "$want_text" = 1 ]; then
		cat "$work/report.txt"
	else
		cat "$work/report.html"
	fi || worse 3
fi
exit "$status"
