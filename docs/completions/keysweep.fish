function __keysweep_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __keysweep_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __keysweep_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __keysweep_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __keysweep_parse_tokens -S
    set -l unparsed_tokens (__keysweep_tokens -pc)
    switch $unparsed_tokens[1]
    case 'keysweep'
        __keysweep_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'scan'
            __keysweep_parse_subcommand -r 1 'format=' 'fail-on=' 'o/output=' 'redact' 'show-secrets' 'j/jobs=' 'max-size=' 'include-binary' 'no-extract' 'extract-depth=' 'include-placeholders' 'allow-incomplete' 'no-color' 'remediation=' 'verify' 'sts-endpoint=' 'verify-timeout=' 'blast-radius' 'iam-snapshot=+' 'cloudtrail-region=+' 'ignore-file=+' 'baseline=' 'report-unused-ignores' 'since=' 'range=' 'staged' 'no-history' 'no-worktree' 'patterns=' 'config=' 'github-user=+' 'github-org=+' 'gists' 'github-api-url=' 'include-forks' 'include-archived' 'include-members' 'clone-dir=' 'clone-jobs=' 'max-rate-limit-wait=' 'remote-timeout=' 'max-clone-size=' 'shard=' 'shard-by=' 'targets-from=' 'cache=' 'all-objects' 'no-delta' 'version' 'h/help'
        case 'merge'
            __keysweep_parse_subcommand -r 1 'format=' 'fail-on=' 'o/output=' 'redact' 'show-secrets' 'no-color' 'remediation=' 'verify' 'sts-endpoint=' 'verify-timeout=' 'allow-mixed' 'allow-partial' 'allow-incomplete' 'patterns=' 'config=' 'version' 'h/help'
        case 'rules'
            __keysweep_parse_subcommand 0 'patterns=' 'config=' 'version' 'h/help'
        case 'remediate'
            __keysweep_parse_subcommand 1 'remediation=' 'redact' 'show-secrets' 'verify' 'sts-endpoint=' 'verify-timeout=' 'blast-radius' 'iam-snapshot=+' 'cloudtrail-region=+' 'github-api-url=' 'version' 'h/help'
        case 'show'
            __keysweep_parse_subcommand -r 2 'report=' 'secret' 'o/output=' 'patterns=' 'config=' 'version' 'h/help'
        case 'contain'
            __keysweep_parse_subcommand 1 'report=' 'yes' 'dry-run' 'timeout=' 'version' 'h/help'
        case 'aws-snapshot'
            __keysweep_parse_subcommand 0 'o/output=' 'timeout=' 'version' 'h/help'
        case 'ignore'
            __keysweep_parse_subcommand -r 2 'reason=' 'ignore-file=' 'path=+' 'patterns=' 'config=' 'version' 'h/help'
        case 'install-hook'
            __keysweep_parse_subcommand 1 'force' 'version' 'h/help'
        case 'help'
            __keysweep_parse_subcommand -r 1 'version'
        end
    end
end

function __keysweep_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __keysweep_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __keysweep_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __keysweep_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__keysweep_tokens -p)
    if test -z "$(__keysweep_tokens -t)"
        set -l index (count (__keysweep_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'keysweep' -f
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep" version' -l 'version' -d 'Show the version.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_positional "keysweep" -eq 1' -fa 'scan' -d 'Scan git history, directories, files or standard input for secrets.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_positional "keysweep" -eq 1' -fa 'merge' -d 'Merge the JSON reports of shards (scan --shard) and of separate scans into one report.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_positional "keysweep" -eq 1' -fa 'rules' -d 'List the detection rules (built in, plus --patterns and --config): id, confidence, provider, description.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_positional "keysweep" -eq 1' -fa 'remediate' -d 'Make the rotation plan from an earlier \'scan --format json\' report, without rescanning.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_positional "keysweep" -eq 1' -fa 'show' -d 'Show one finding with its secret in full, where it was seen, and the commands to revoke it.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_positional "keysweep" -eq 1' -fa 'contain' -d 'Deactivate a leaked AWS key and deny its user the Code Spaces actions, with the owner\'s credentials.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_positional "keysweep" -eq 1' -fa 'aws-snapshot' -d 'Write what --blast-radius needs of an AWS account to FILE, with the owner\'s read-only audit credentials.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_positional "keysweep" -eq 1' -fa 'ignore' -d 'Acknowledge a finding: append an entry for it to .keysweepignore.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_positional "keysweep" -eq 1' -fa 'install-hook' -d 'Install a git pre-commit hook that runs `keysweep scan --staged`.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_positional "keysweep" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" format' -l 'format' -d 'Report format: text, json, sarif (SARIF 2.1.0, secrets always redacted), github (workflow annotations, redacted), html (one self-contained page, redacted unless --show-secrets) or hook (the pre-commit hook\'s: nothing when clean, else the blocked commit\'s findings with ids and the commands to allow or bypass, redacted).' -rfka 'text json sarif github html hook'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" fail-on' -l 'fail-on' -d 'Exit 1 only for findings of at least this confidence; the others are still reported.' -rfka 'low medium high'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" o output' -l 'output' -s 'o' -d 'Write the report to FILE instead of standard output.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" redact' -l 'redact' -d 'Never print a secret in full: the recognisable form (ghp_…m1IL) everywhere; AWS key ids are not secret and stay whole, so the commands of the plan still run.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" show-secrets' -l 'show-secrets' -d 'Print secrets in full: in the text and HTML reports (long ones and PEM blocks are shortened otherwise, the HTML report redacts) and in the plan (redacted otherwise).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" j jobs' -l 'jobs' -s 'j' -d 'Threads that scan content (default: the number of cores, at most 256); 1 runs the whole scan on one thread.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" max-size' -l 'max-size' -d 'Skip blobs and files larger than SIZE (bytes, or with K, M, G); they are counted in the stats.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" include-binary' -l 'include-binary' -d 'Scan content that looks binary (a NUL byte in its first 8 KiB) instead of skipping it.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" no-extract' -l 'no-extract' -d 'Do not open archives, compressed files and PDF streams (zip, jar, tar, deb, rpm, cpio, 7z, iso, xar, cab, gzip, bzip2, xz, zstd); they are then skipped as binary.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" extract-depth' -l 'extract-depth' -d 'Open archives nested up to N deep (default 3; 1 opens only the outermost).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" include-placeholders' -l 'include-placeholders' -d 'Also report documentation examples, template references and test values.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" allow-incomplete' -l 'allow-incomplete' -d 'Exit 0 rather than 2 when nothing was found but the scan is incomplete (a target could not be scanned, or a rule ran out of its time budget in some content); the report still says so.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" no-color' -l 'no-color' -d 'Never colour the text report (colour is used only when standard output is a terminal).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" remediation' -l 'remediation' -d 'Also write the rotation plan to FILE (Markdown; a .json name gives JSON).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" verify' -l 'verify' -d 'Ask AWS STS GetCallerIdentity who owns each complete AWS key pair, and GitHub (GET /user) who owns each GitHub token and its scopes (network; never for canaries or placeholders).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" sts-endpoint' -l 'sts-endpoint' -d 'STS endpoint for --verify; overrides AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL (default https://sts.amazonaws.com).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" verify-timeout' -l 'verify-timeout' -d 'Seconds to wait for each STS call (default 10).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" blast-radius' -l 'blast-radius' -d 'Ask the AWS account, with the owner\'s read-only audit credentials (the standard AWS chain; never the leaked secret), who owns each leaked key id, what it can do, whether it was used since it leaked and which identities appeared since.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan"' -l 'iam-snapshot' -d 'Answer --blast-radius from FILE, written by \'keysweep aws-snapshot\', with no network at all (repeatable: one per account).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan"' -l 'cloudtrail-region' -d 'With --blast-radius, ask CloudTrail in REGION whether each key was used since it leaked (repeatable; default the audit credentials\' Region).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan"' -l 'ignore-file' -d 'Also read acknowledged secrets from FILE (the .keysweepignore format; repeatable). Each target\'s own .keysweepignore is always read.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" baseline' -l 'baseline' -d 'Report only findings that are not in REPORT, an earlier JSON (or SARIF) report.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" report-unused-ignores' -l 'report-unused-ignores' -d 'List the ignore entries that matched nothing, one warning line each.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" since' -l 'since' -d 'Scan only what HEAD reaches and REV does not (blobs and commit messages, merges included).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" range' -l 'range' -d 'Scan only what TIP reaches and BASE does not (TIP defaults to HEAD).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" staged' -l 'staged' -d 'Scan the blobs staged in the index that HEAD does not hold: what the next commit adds.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" no-history' -l 'no-history' -d 'Scan only HEAD\'s tree (the committed state of the checked-out branch), not the history.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" no-worktree' -l 'no-worktree' -d 'Leave out a work tree\'s untracked and modified files (scanned by default beside the whole history).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" patterns' -l 'patterns' -d 'Also load every *.toml rule file under DIR (subfolders included; the format of Patterns/README.md).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" config' -l 'config' -d 'Also use the rules and allowlists of a gitleaks configuration file.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan"' -l 'github-user' -d 'Scan USER\'s public repositories and public gists (repeatable).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan"' -l 'github-org' -d 'Scan the organisation\'s repositories (repeatable; private ones too when the token can read them).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" gists' -l 'gists' -d 'Scan the token owner\'s own gists, secret ones included (needs GITHUB_TOKEN).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" github-api-url' -l 'github-api-url' -d 'GitHub\'s REST API (GitHub Enterprise: https://HOST/api/v3).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" include-forks' -l 'include-forks' -d 'Also scan forks (left out by default: a fork\'s history is mostly its parent\'s, scanned on its own).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" include-archived' -l 'include-archived' -d 'Also scan archived repositories (left out by default: they no longer change; scan them once with this).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" include-members' -l 'include-members' -d 'With --github-org, also scan the public gists of the organisation\'s members.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" clone-dir' -l 'clone-dir' -d 'Keep clones in DIR and fetch into them next time (default: a private temporary directory, removed at exit).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" clone-jobs' -l 'clone-jobs' -d 'Clones made at once, beside the scan.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" max-rate-limit-wait' -l 'max-rate-limit-wait' -d 'Longest wait for GitHub\'s rate limit to reset before the listing stops.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" remote-timeout' -l 'remote-timeout' -d 'Give up a clone that receives nothing for this long, and a GitHub API request not answered whole within it.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" max-clone-size' -l 'max-clone-size' -d 'Stop a clone or fetch that receives more than this (512K, 500M, 10G); the target fails.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" shard' -l 'shard' -d 'Scan only share I of N (0 ≤ I < N); \'auto/N\' or \'auto\' take I from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) and N from KEYSWEEP_SHARDS. Merge the shards\' JSON reports with \'keysweep merge\'.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" shard-by' -l 'shard-by' -d 'What --shard splits: targets (whole repositories, gists and paths, by a stable hash of their identity), blobs (every shard walks each history, and reads only its blobs, messages and files) or auto (blobs for a single target, else targets).' -rfka 'auto targets blobs'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" targets-from' -l 'targets-from' -d 'Also scan the targets listed in FILE, one per line (\'-\': standard input; empty lines and lines starting with # are skipped).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" cache' -l 'cache' -d 'Remember scanned git objects in DIR (SQLite) and read only new ones next time; emptied when the rules or keysweep change.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" all-objects' -l 'all-objects' -d 'Also scan git objects no reference reaches (force-pushed-away commits, fetched pull-request heads, blobs never committed).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" no-delta' -l 'no-delta' -d 'Read every git object through libgit2, each blob whole and matched in full, instead of following the packs\' deltas (slower; the same findings).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" version' -l 'version' -d 'Show the version.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep scan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" format' -l 'format' -d 'Report format: text, json, sarif (SARIF 2.1.0, secrets always redacted), github (workflow annotations, redacted), html (one self-contained page, redacted unless --show-secrets) or hook (the pre-commit hook\'s message).' -rfka 'text json sarif github html hook'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" fail-on' -l 'fail-on' -d 'Exit 1 only for findings of at least this confidence; the others are still reported.' -rfka 'low medium high'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" o output' -l 'output' -s 'o' -d 'Write the report to FILE instead of standard output.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" redact' -l 'redact' -d 'Never print a secret in full: the recognisable form (ghp_…m1IL) everywhere; AWS key ids are not secret and stay whole, so the commands of the plan still run.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" show-secrets' -l 'show-secrets' -d 'Print secrets in full: in the text and HTML reports (long ones and PEM blocks are shortened otherwise, the HTML report redacts) and in the plan (redacted otherwise).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" no-color' -l 'no-color' -d 'Never colour the text report (colour is used only when standard output is a terminal).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" remediation' -l 'remediation' -d 'Also write the rotation plan to FILE (Markdown; a .json name gives JSON).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" verify' -l 'verify' -d 'Ask AWS STS GetCallerIdentity who owns each complete AWS key pair, and GitHub (GET /user) who owns each GitHub token and its scopes (network; never for canaries or placeholders).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" sts-endpoint' -l 'sts-endpoint' -d 'STS endpoint for --verify; overrides AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL (default https://sts.amazonaws.com).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" verify-timeout' -l 'verify-timeout' -d 'Seconds to wait for each STS call (default 10).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" allow-mixed' -l 'allow-mixed' -d 'Merge reports made with different rules or keysweep versions (each difference is a warning).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" allow-partial' -l 'allow-partial' -d 'Merge although shards of a split are missing (a warning naming them); the report then covers only the shards given.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" allow-incomplete' -l 'allow-incomplete' -d 'Exit 0 rather than 2 when nothing was found but a report is incomplete (a target could not be scanned, or a rule ran out of its time budget); the merged report still says so.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" patterns' -l 'patterns' -d 'Also load every *.toml rule file under DIR (subfolders included; the format of Patterns/README.md).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" config' -l 'config' -d 'Also use the rules and allowlists of a gitleaks configuration file.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" version' -l 'version' -d 'Show the version.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep merge" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep rules" patterns' -l 'patterns' -d 'Also load every *.toml rule file under DIR (subfolders included; the format of Patterns/README.md).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep rules" config' -l 'config' -d 'Also use the rules and allowlists of a gitleaks configuration file.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep rules" version' -l 'version' -d 'Show the version.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep rules" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep remediate" remediation' -l 'remediation' -d 'Write the plan to FILE (Markdown; a .json name gives JSON) instead of standard output.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep remediate" redact' -l 'redact' -d 'Never print a secret in full: the recognisable form (ghp_…m1IL) everywhere; AWS key ids are not secret and stay whole, so the commands of the plan still run.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep remediate" show-secrets' -l 'show-secrets' -d 'Print secrets in full: in the text and HTML reports (long ones and PEM blocks are shortened otherwise, the HTML report redacts) and in the plan (redacted otherwise).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep remediate" verify' -l 'verify' -d 'Ask AWS STS GetCallerIdentity who owns each complete AWS key pair, and GitHub (GET /user) who owns each GitHub token and its scopes (network; never for canaries or placeholders).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep remediate" sts-endpoint' -l 'sts-endpoint' -d 'STS endpoint for --verify; overrides AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL (default https://sts.amazonaws.com).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep remediate" verify-timeout' -l 'verify-timeout' -d 'Seconds to wait for each STS call (default 10).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep remediate" blast-radius' -l 'blast-radius' -d 'Ask the AWS account, with the owner\'s read-only audit credentials (the standard AWS chain; never the leaked secret), who owns each leaked key id, what it can do, whether it was used since it leaked and which identities appeared since.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep remediate"' -l 'iam-snapshot' -d 'Answer --blast-radius from FILE, written by \'keysweep aws-snapshot\', with no network at all (repeatable: one per account).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep remediate"' -l 'cloudtrail-region' -d 'With --blast-radius, ask CloudTrail in REGION whether each key was used since it leaked (repeatable; default the audit credentials\' Region).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep remediate" github-api-url' -l 'github-api-url' -d 'GitHub\'s REST API, for --verify of GitHub tokens (GitHub Enterprise: https://HOST/api/v3).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep remediate" version' -l 'version' -d 'Show the version.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep remediate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep show" report' -l 'report' -d 'Take the finding from REPORT, a JSON report of \'scan --format json\', instead of scanning.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep show" secret' -l 'secret' -d 'Print only the secret, then a line break: as found when standard output is not a terminal.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep show" o output' -l 'output' -s 'o' -d 'Write the secret to FILE (mode 0600, never over an existing file); a private key goes to ./keysweep-ID.key without it.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep show" patterns' -l 'patterns' -d 'Also load every *.toml rule file under DIR (subfolders included; the format of Patterns/README.md).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep show" config' -l 'config' -d 'Also use the rules and allowlists of a gitleaks configuration file.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep show" version' -l 'version' -d 'Show the version.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep contain" report' -l 'report' -d 'The JSON report the finding id is from.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep contain" yes' -l 'yes' -d 'Make the changes without asking (needed when standard input is not a terminal).'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep contain" dry-run' -l 'dry-run' -d 'Show the changes and make none.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep contain" timeout' -l 'timeout' -d 'Seconds to wait for each AWS call (default 30).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep contain" version' -l 'version' -d 'Show the version.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep contain" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep aws-snapshot" o output' -l 'output' -s 'o' -d 'The snapshot file to write.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep aws-snapshot" timeout' -l 'timeout' -d 'Seconds to wait for each AWS call (default 30).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep aws-snapshot" version' -l 'version' -d 'Show the version.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep aws-snapshot" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep ignore" reason' -l 'reason' -d 'Why it is safe to ignore (required), e.g. "rotated 2026-11-20".' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep ignore" ignore-file' -l 'ignore-file' -d 'The ignore file to append to (default: .keysweepignore at the root of the first target).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep ignore"' -l 'path' -d 'Ignore it only in paths matching GLOB (repeatable; ** crosses directories).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep ignore" patterns' -l 'patterns' -d 'Also load every *.toml rule file under DIR (subfolders included; the format of Patterns/README.md).' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep ignore" config' -l 'config' -d 'Also use the rules and allowlists of a gitleaks configuration file.' -rfka ''
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep ignore" version' -l 'version' -d 'Show the version.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep ignore" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep install-hook" force' -l 'force' -d 'Chain a pre-commit hook keysweep did not write: kept as pre-commit.before-keysweep, it runs first.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep install-hook" version' -l 'version' -d 'Show the version.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep install-hook" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'keysweep' -n '__keysweep_should_offer_completions_for_flags_or_options "keysweep help" version' -l 'version' -d 'Show the version.'
