// prepare-commit-msg's trailers appended by the shell itself, byte for byte as
// `git -c trailer.separators=: -c trailer.where=end interpret-trailers --in-place --where end
// --if-exists doNothing --if-missing add` (git/trailers.ts addTrailers) writes them, so an in-scope
// commit in a lane starts no process for its provenance. The steps are git's own, in git's order
// (git 2.39 trailer.c: find_patch_start, find_trailer_end via commit.c ignore_non_trailer and
// wt-status.c wt_status_locate_end, find_trailer_start, trailer_info_get's continuation lines,
// process_input_file, same_token, print_tok_val; ctype.c: git's isspace is space, \t, \n and \r,
// its isalnum ASCII only), on line numbers instead of byte offsets.
//
// Whatever it cannot mirror exactly it leaves to `git interpret-trailers` (the function fails and
// the shim runs git): any git config that could change the result (trailer.*, core.commentChar or
// commentString, an include; from `git -c`, the environment, or the system, global, repository and
// worktree files), a message of more than LINES_MAX lines (a `commit -v` diff: sh reads bytes one
// by one) and a message file it cannot write. A scissors line after a patch divider is the one case
// it answers 2: git 2.39 then reads past its own end and never returns, and the shim adds nothing. One difference it cannot see: sh's `read` drops NUL bytes, so a message
// with a NUL that needs rewriting (not only appending) loses the NUL where git would keep it and
// then refuse the commit.
//
// Tested against git itself, case by case: test/deep/trailer-sh.test.ts.

/** Above this many lines the message goes to git (a verbose commit's diff, a huge template). */
export const LINES_MAX = 256;

/** The trailer keys the shim adds, in this order (prepare-commit-msg.ts laneTrailers). */
export const TRAILER_KEYS = ['Lane', 'Task', 'Agent'] as const;

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * The `case` pattern of existing tokens (trailing `-` already stripped: git compares tokens without
 * their trailing non-alphanumerics) that git's same_token takes for `key`: case-insensitive, over
 * the shorter of the two lengths, so any prefix of the key (the empty one too) or the key followed
 * by anything.
 */
export function sameTokenPattern(key: string): string {
  const ci = [...key].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
  const prefixes = ["''"];
  for (let i = 1; i < ci.length; i++) prefixes.push(ci.slice(0, i).join(''));
  return [...prefixes, `${ci.join('')}*`].join(' | ');
}

/** prepare-commit-msg's note of lanes_trailers_plain's "plain" (in the worktree's git dir). */
export const PLAIN_SEEN = 'lanes-hooks.plain-seen';

/**
 * One entry of a note's file list, as the notes write them (the fresh note's input list in
 * shims.ts, PLAIN_SEEN here): "+FILE" is there and older than the note $1 (a file written in the
 * note's clock tick does not count; `-nt` is checked after `-f`, as bash's is true for a missing
 * file), "-FILE" is still missing. Every shim that takes a note holds it (shims.ts GITDIR).
 */
export const SH_UNCHANGED = `lanes_unchanged() {
  case $2 in
    +?*) [ -f "\${2#+}" ] && [ "$1" -nt "\${2#+}" ] ;;
    -?*) [ ! -e "\${2#-}" ] ;;
    *) return 1 ;;
  esac
}
`;

/**
 * Config that can change what interpret-trailers does, as a case pattern over a config file's
 * lines or `git -c`'s GIT_CONFIG_PARAMETERS (key names are case-insensitive and never continued
 * over lines; a mention in a comment or a value only costs the git process).
 */
const CONFIG_PATTERN =
  '*[tT][rR][aA][iI][lL][eE][rR]* | *[cC][oO][mM][mM][eE][nN][tT][cCsS]* | *[iI][nN][cC][lL][uU][dD][eE]*';

/**
 * The sh functions. `lanes_trailers_plain` is true when no config can make git differ (needs
 * SH_UNCHANGED, `$gd`, and `$lanes_c_common`/`$lanes_c_sysconfig` from the compiled policy);
 * `lanes_append_trailers FILE KEY VALUE …` rewrites FILE as git would, or fails having changed
 * nothing: 1 when git must do it, 2 where git would hang.
 */
export const SH_TRAILERS = `lanes_nl='
'
lanes_tab='\t'
lanes_cr='\r'
# Nothing in git's config (system, global, repository, worktree, \`git -c\`) that bears on trailers.
# \`[include]\` paths are followed (lanes-hooks installs one in every repository); includeIf, a
# quoted or \`~\` path, or more than 16 files in all: git decides. The files git reads (git-config(1),
# ENVIRONMENT): no system file under GIT_CONFIG_NOSYSTEM (read anyway for a value sh cannot be sure
# git calls true); GIT_CONFIG_GLOBAL, when set, instead of ~/.gitconfig and the XDG file.
lanes_trailers_plain() {
  [ -n "$lanes_c_sysconfig" ] || return 1
  case \${GIT_CONFIG_COUNT:-0} in 0) ;; *) return 1 ;; esac
  case $GIT_CONFIG_PARAMETERS in ${CONFIG_PATTERN}) return 1 ;; esac
  case $GIT_CONFIG_NOSYSTEM in
    1 | [tT][rR][uU][eE] | [yY][eE][sS] | [oO][nN]) todo= ;;
    *) todo="\${GIT_CONFIG_SYSTEM:-$lanes_c_sysconfig}$lanes_nl" ;;
  esac
  if [ "\${GIT_CONFIG_GLOBAL+set}" = set ]; then todo="$todo$GIT_CONFIG_GLOBAL$lanes_nl"
  else todo="$todo$HOME/.gitconfig$lanes_nl\${XDG_CONFIG_HOME:-$HOME/.config}/git/config$lanes_nl"
  fi
  todo="$todo$lanes_c_common/config$lanes_nl$gd/config.worktree$lanes_nl"
  lanes_plain_seen "$todo" && return 0
  k=0 seen=
  while [ -n "$todo" ]; do
    c=\${todo%%"$lanes_nl"*} todo=\${todo#*"$lanes_nl"}
    [ -n "$c" ] || continue
    [ -e "$c" ] || { seen="$seen-$c$lanes_nl"; continue; }
    seen="$seen+$c$lanes_nl"
    k=$((k + 1))
    [ $k -le 16 ] || return 1
    inc=
    { while IFS= read -r l || [ -n "$l" ]; do
        l=\${l#"\${l%%[! $lanes_tab]*}"}
        case $l in
          '#'* | ';'*) continue ;; # a comment
          '['[iI][nN][cC][lL][uU][dD][eE]']') inc=1; continue ;;
          '['*) inc= ;;
          [pP][aA][tT][hH]*=*)
            if [ -n "$inc" ]; then
              v=\${l#*=}
              v=\${v#"\${v%%[! $lanes_tab]*}"}
              v=\${v%"\${v##*[! $lanes_tab$lanes_cr]}"}
              case $v in '' | *['"\\;#']* | '~'*) return 1 ;; /*) ;; *) v=\${c%/*}/$v ;; esac
              case \${l%%=*} in *[!pPaAtTh" $lanes_tab"]*) return 1 ;; esac
              todo="$todo$v$lanes_nl"
              continue
            fi ;;
        esac
        case $l in ${CONFIG_PATTERN}) return 1 ;; esac
      done < "$c"; } 2>/dev/null || return 1
  done
  printf '%s\n%s.\n' "$version" "$seen" > "$gd/${PLAIN_SEEN}" 2>/dev/null
  return 0
}
# The answer noted (${PLAIN_SEEN}): this version's line, then every file the scan met, "+" before
# one it read and "-" before one that was not there, then ".". It holds while the files before the
# includes are the ones $1 names now, and each file is as it was: older than the note (a file
# written in the note's clock tick does not count), a missing one still missing. Reading the note
# costs a tenth of reading the files (sh reads a byte per system call). A file put back with an old
# mtime is not seen; it can only make sh place the trailers where git would not.
lanes_plain_seen() {
  s=$gd/${PLAIN_SEEN} rest=$1 first=1 end=
  [ -f "$s" ] || return 1
  while IFS= read -r l; do
    [ -z "$end" ] || return 1
    if [ -n "$first" ]; then [ "$l" = "$version" ] || return 1; first=; continue; fi
    [ "$l" != . ] || { end=1; continue; }
    while [ -n "$rest" ]; do
      c=\${rest%%"$lanes_nl"*} rest=\${rest#*"$lanes_nl"}
      [ -z "$c" ] || { [ "\${l#?}" = "$c" ] || return 1; break; }
    done
    lanes_unchanged "$s" "$l" || return 1
  done < "$s"
  [ -n "$end" ] && [ -z "$rest" ]
}
# $1 without git's leading and trailing whitespace, in lanes_t.
lanes_trim() {
  lanes_t=$1
  while :; do
    case $lanes_t in [" $lanes_tab$lanes_cr$lanes_nl"]*) lanes_t=\${lanes_t#?} ;; *) break ;; esac
  done
  while :; do
    case $lanes_t in *[" $lanes_tab$lanes_cr$lanes_nl"]) lanes_t=\${lanes_t%?} ;; *) break ;; esac
  done
}
# A trailer line (find_separator >= 1: letters, digits and '-', then blanks, then ':'); its token
# (without the blanks) in lanes_tok.
lanes_trailer_line() {
  case $1 in *:*) ;; *) return 1 ;; esac
  lanes_tok=\${1%%:*}
  case $lanes_tok in
    '' | [" $lanes_tab"]* | *[!${ALNUM}" $lanes_tab"-]* | *[" $lanes_tab"]*[${ALNUM}-]*) return 1 ;;
  esac
  lanes_tok=\${lanes_tok%%[" $lanes_tab"]*}
}
lanes_blank() {
  case $1 in *[!" $lanes_tab$lanes_cr"]*) return 1 ;; esac
}
# Line $1 of the message, in l (with its newline unless it is the last line and has none).
lanes_line() { eval "l=\\$lanes_l$1"; }
lanes_has_nl() { [ "$1" -lt "$n" ] || [ -z "$nonl" ]; }
# An item of the trailer block (process_input_file): comments go, trailers are printed anew.
lanes_item() {
  case $1 in '#'*) return ;; esac
  if lanes_trailer_line "$1"; then
    lanes_trim "\${1#*:}"
    out="$out$lanes_tok: $lanes_t$lanes_nl"
    t=$lanes_tok
    while :; do case $t in *-) t=\${t%-} ;; *) break ;; esac; done
    # A token of dashes compares over no characters: the same as every key.
    [ -n "$t" ] || lanes_anytok=1
    lanes_toks="$lanes_toks $t"
  else
    out="$out$1$lanes_nl"
  fi
}
# Whether a trailer with key $1 is there already (same_token against every token so far).
lanes_has_token() {
  [ -z "$lanes_anytok" ] || return 0
  for t in $lanes_toks; do
    case $1 in
${TRAILER_KEYS.map((k) => `      ${k}) case $t in ${sameTokenPattern(k)}) return 0 ;; esac ;;`).join('\n')}
      *) return 0 ;;
    esac
  done
  return 1
}
lanes_append_trailers() {
  f=$1
  shift
  [ -f "$f" ] && [ -r "$f" ] && [ -w "$f" ] || return 1
  n=0 nonl= orig= l=
  while IFS= read -r l; do
    n=$((n + 1))
    [ $n -le ${LINES_MAX} ] || return 1
    eval "lanes_l$n=\\$l"
    orig="$orig$l$lanes_nl"
  done < "$f"
  if [ -n "$l" ]; then
    n=$((n + 1)) nonl=1
    [ $n -le ${LINES_MAX} ] || return 1
    eval "lanes_l$n=\\$l"
    orig="$orig$l"
  fi
  # The patch divider (a line "---" and whitespace) and the scissors line (only with a newline).
  p=$((n + 1)) c= i=1
  while [ $i -le $n ]; do
    lanes_line $i
    case $l in
      ---[" $lanes_tab$lanes_cr"]*) [ $p -le $n ] || p=$i ;;
      ---) if [ $p -gt $n ] && lanes_has_nl $i; then p=$i; fi ;;
      '# ------------------------ >8 ------------------------')
        if [ -z "$c" ] && lanes_has_nl $i; then c=$i; fi ;;
    esac
    i=$((i + 1))
  done
  # A scissors line after a divider: git 2.39 reads past its own end there and never returns
  # (status 2: the shim adds no trailers rather than hang the commit).
  if [ -z "$c" ]; then c=$p; elif [ "$c" -gt "$p" ]; then return 2; fi
  # The trailing comments, blank lines and old "Conflicts:" block before the cutoff.
  boc=0 inconf= i=1
  while [ $i -lt "$c" ]; do
    lanes_line $i
    if case $l in '#'*) true ;; '') lanes_has_nl $i ;; *) false ;; esac; then
      [ $boc -ne 0 ] || [ $i -eq 1 ] || boc=$i
    elif [ "$l" = Conflicts: ] && lanes_has_nl $i; then
      inconf=1
      [ $boc -ne 0 ] || [ $i -eq 1 ] || boc=$i
    elif [ -n "$inconf" ] && case $l in "$lanes_tab"*) true ;; *) false ;; esac; then
      :
    elif [ $boc -ne 0 ]; then
      boc=0 inconf=
    fi
    i=$((i + 1))
  done
  e=$c
  [ $boc -eq 0 ] || e=$boc
  # The title paragraph, then the trailer block: from the end, back to a blank line.
  i=1
  while [ $i -lt $e ]; do
    lanes_line $i
    case $l in '#'*) ;; *) lanes_blank "$l" && break ;; esac
    i=$((i + 1))
  done
  title=$i s=$e only=1 rec= tr=0 non=0 cont=0 i=$((e - 1))
  while [ $i -ge $title ] && [ $i -ge 1 ]; do
    lanes_line $i
    case $l in
      '#'*) non=$((non + cont)) cont=0 ;;
      *)
        if lanes_blank "$l"; then
          if [ -z "$only" ]; then
            non=$((non + cont))
            if [ -n "$rec" ] && [ $((tr * 3)) -ge $non ]; then s=$((i + 1))
            elif [ $tr -gt 0 ] && [ $non -eq 0 ]; then s=$((i + 1))
            fi
            break
          fi
        else
          only=
          case $l in
            'Signed-off-by: '* | '(cherry picked from commit '*) tr=$((tr + 1)) cont=0 rec=1 ;;
            [" $lanes_tab$lanes_cr"]*) cont=$((cont + 1)) ;;
            *)
              if lanes_trailer_line "$l"; then tr=$((tr + 1)) cont=0
              else non=$((non + 1 + cont)) cont=0
              fi ;;
          esac
        fi ;;
    esac
    i=$((i - 1))
  done
  # Print: the text before the block, a blank line unless there is one, the block's items, the
  # new trailers, the text after.
  out= i=1
  while [ $i -lt $s ]; do
    lanes_line $i
    out="$out$l"
    ! lanes_has_nl $i || out="$out$lanes_nl"
    i=$((i + 1))
  done
  blank=
  if [ $s -gt 1 ]; then lanes_line $((s - 1)); lanes_blank "$l" && blank=1; fi
  [ -n "$blank" ] || out="$out$lanes_nl"
  lanes_toks= lanes_anytok= item= istr=
  while [ $i -lt $e ]; do
    lanes_line $i
    if [ -n "$istr" ] && case $l in '' | [" $lanes_tab$lanes_cr"]*) true ;; *) false ;; esac; then
      item="$item$lanes_nl$l"
    else
      [ $i -eq $s ] || lanes_item "$item"
      item=$l istr=
      ! lanes_trailer_line "$l" || istr=1
    fi
    i=$((i + 1))
  done
  [ $s -ge $e ] || lanes_item "$item"
  while [ $# -ge 2 ]; do
    if ! lanes_has_token "$1"; then
      lanes_trim "$2"
      out="$out$1: $lanes_t$lanes_nl"
      lanes_toks="$lanes_toks $1"
    fi
    shift 2
  done
  while [ $i -le $n ]; do
    lanes_line $i
    out="$out$l"
    ! lanes_has_nl $i || out="$out$lanes_nl"
    i=$((i + 1))
  done
  # Only what is new when git's text starts with the file's (the common case): bytes sh cannot
  # see (NUL) then stay as they were.
  case $out in
    "$orig"*) printf '%s' "\${out#"$orig"}" >> "$f" ;;
    *) printf '%s' "$out" > "$f" ;;
  esac
}
`;
