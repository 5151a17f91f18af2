"""What each diagnostic code means and how to fix it: the source of README's table and explain-code."""

from __future__ import annotations

from kompalloc.diagnostics import Code

EXPLANATIONS: dict[Code, tuple[str, str]] = {
    Code.PATH_NOT_FOUND: (
        "a path on the command line does not exist (or is a dangling link)",
        "check the path",
    ),
    Code.PATH_UNREADABLE: (
        "a path cannot be read, or is not a regular file or folder (a FIFO, a device)",
        "check permissions; name files or folders",
    ),
    Code.NO_YAML_FILES: (
        "a folder holds no `.yaml`/`.yml` files",
        "name the right folder",
    ),
    Code.FILE_TOO_LARGE: (
        "a file is larger than 64 MiB",
        "split it; no funding file comes near this",
    ),
    Code.NOT_UTF8: (
        "a file is not UTF-8 (the position of the first bad byte is given; UTF-16 is recognised and named)",
        "save it as UTF-8",
    ),
    Code.YAML_SYNTAX: (
        "YAML syntax error (bad indentation, tabs, unclosed brackets or quotes, …)",
        "fix the YAML at the position given",
    ),
    Code.DUPLICATE_KEY: (
        "a key appears twice in one mapping (YAML would silently keep the last)",
        "remove or rename one",
    ),
    Code.ALIAS: (
        "an anchor (`&a`) or alias (`*a`)",
        "write the value out in full",
    ),
    Code.TAG: (
        "an explicit tag (`!!int`, `!!python/...`, `!custom`)",
        "remove the tag",
    ),
    Code.TOO_DEEP: (
        "nesting deeper than 32 levels",
        "check the indentation",
    ),
    Code.MULTIPLE_DOCUMENTS: (
        "more than one YAML document in a file",
        "one document per file",
    ),
    Code.COMPLEX_KEY: (
        "a complex key (`? [a, b]`, a mapping as a key)",
        "use a plain text key",
    ),
    Code.CONTROL_CHARACTER: (
        "a character that cannot be in a file: a control character (raw or escaped), a byte-order mark inside the file, an escaped lone surrogate, or a line break editors do not count (NEL, LS, PS)",
        "remove it",
    ),
    Code.NOT_A_MAPPING: (
        "a mapping was expected (the top level, a section, an entry)",
        "see the format reference",
    ),
    Code.UNKNOWN_KEY: (
        'an unknown section or key (a "did you mean" hint when one is close)',
        "fix the spelling",
    ),
    Code.MISSING_KEY: (
        "a required key is missing",
        "add it",
    ),
    Code.WRONG_TYPE: (
        "a value has the wrong shape (a list where text was expected, an empty value, …)",
        "see the format reference",
    ),
    Code.BAD_MONEY: (
        "an amount that is not exact and unambiguous (a float, `1.5 MNOK`, `20,000,000`, negative, unknown unit, …)",
        "write e.g. `1,5 MNOK` or `20 000 000`",
    ),
    Code.BAD_INTEGER: (
        "not a whole number (`010`, `0x1F`, `1:30`, `1_000`), or an implausible year, or rank 0",
        "plain digits",
    ),
    Code.BAD_BOOLEAN: (
        "not `true` or `false` (`yes`, `no`, `on`, `off`, …)",
        "write `true` or `false`",
    ),
    Code.BAD_DATE: (
        "not a real `YYYY-MM-DD` date",
        "e.g. `2021-09-15`",
    ),
    Code.BAD_CHOICE: (
        "not one of a closed list (institution type, partner role, level)",
        "the hint names the closest choice",
    ),
    Code.BAD_ID: (
        "not a valid id",
        "letters, digits, `.`, `_`, `-`, starting with a letter or digit",
    ),
    Code.BAD_ORG_NUMBER: (
        "not a valid Norwegian organisation number (9 digits, mod-11 check digit)",
        "check it at brreg.no",
    ),
    Code.UNSUPPORTED_VERSION: (
        "an unsupported format version in `kompalloc:`",
        "this kompalloc reads version 1",
    ),
    Code.EMPTY_FILE: (
        "warning: a file holds no data (empty, comments only)",
        "fill it or remove it",
    ),
    Code.DUPLICATE_ID: (
        "an id defined twice in one section, across all files (both positions are given)",
        "rename or remove one",
    ),
    Code.UNKNOWN_REFERENCE: (
        'a reference to an id that is not defined (with a "did you mean" hint)',
        "fix the id or load the file that defines it",
    ),
    Code.NO_POOL: (
        "an application's scheme has no pool for its year",
        "add the pool",
    ),
    Code.DUPLICATE_ROOT_POOL: (
        "two root pools for one scheme and year",
        "make one a sub-pool with `parent:`",
    ),
    Code.POOL_CYCLE: (
        "a pool is its own ancestor through `parent`",
        "break the cycle",
    ),
    Code.AMBIGUOUS_SUBPOOL: (
        "an application matches two sibling sub-pools",
        "narrow the sub-pools' filters",
    ),
    Code.SUBPOOL_WITHOUT_FILTER: (
        "a sub-pool without `clusters` or `institution_types`",
        "add a filter",
    ),
    Code.SUBPOOL_MISMATCH: (
        "a sub-pool's `scheme` or `year` differs from its root pool's",
        "leave them out of sub-pools",
    ),
    Code.ROOT_POOL_INCOMPLETE: (
        "a pool without `parent` lacks `scheme` or `year`",
        "add them, or a parent",
    ),
    Code.NO_SCHEMES_LOADED: (
        "no scheme is loaded, so the references of the files loaded cannot be checked (one diagnostic instead of one per reference): the scheme files were probably left out",
        "add the files that define the schemes, e.g. `kompalloc validate schemes examples/national-2021`",
    ),
    Code.COMMITTED_OVER_CAP: (
        "committed money is more than the pool's cap",
        "check both amounts",
    ),
    Code.SUBPOOL_CAPS_OVER_PARENT: (
        "warning: the caps of a pool's sub-pools add up to more than its cap. Allowed, because sub-pool caps are ceilings, not reservations, and the parent's cap still holds; flagged because it is often a typo",
        "check that it is intended",
    ),
    Code.SUBPOOL_CAP_OVER_PARENT: (
        "warning: a sub-pool's cap is more than its parent's, so it can never be used in full",
        "lower it",
    ),
    Code.MIN_GRANT_WITHOUT_PARTIAL: (
        "warning: `min_grant` without `partial: true` has no effect",
        "add `partial: true` or remove it",
    ),
    Code.MISSING_PARTNER: (
        "warning: a partner role the scheme requires is missing; it will be rejected",
        "add the partner (`companies` count as `company`)",
    ),
    Code.BAD_NUMBER: (
        "not a number like `10` or `7,5`",
        "write digits with at most one decimal separator",
    ),
    Code.MIN_OVER_MAX: (
        "a pool's `min_grant` is more than its `max_grant`",
        "lower min_grant or raise max_grant",
    ),
    Code.MIN_GRANT_OVER_REQUEST: (
        "an application's `min_grant` is more than its request",
        "min_grant is the smallest acceptable grant: at most the request",
    ),
    Code.ZERO_REQUEST: (
        "warning: an application requests 0",
        "check `requested`",
    ),
    Code.INELIGIBLE_INSTITUTION: (
        "warning: the applicant's institution type may not apply to the scheme; it will be rejected",
        "check the institution's `type` and the scheme's `institution_types`",
    ),
    Code.LATE_SUBMISSION: (
        "warning: submitted after the scheme's deadline; it will be rejected",
        "check `submitted` and the scheme's `deadline`",
    ),
    Code.REQUEST_OVER_MAX_GRANT: (
        "warning: the request is above a pool's `max_grant`, so it can get at most that (a partial grant)",
        "lower the request, or accept a partial grant with `partial: true`",
    ),
    Code.REQUEST_BELOW_MIN_GRANT: (
        "warning: the request is below a pool's `min_grant`, so it will not be funded",
        "check the amount",
    ),
    Code.REQUEST_OVER_RATE: (
        "warning: the request is above the scheme's rate times the application's participants (and study points), so it can get at most that",
        "lower the request or check `participants` and `study_points`",
    ),
    Code.CLUSTER_NOT_ELIGIBLE: (
        "warning: the root pool lists the eligible `clusters` and the application's cluster is not among them; it will be rejected",
        "check the application's `cluster`",
    ),
    Code.INSTITUTION_TYPE_NOT_IN_POOL: (
        "warning: the root pool lists `institution_types` and the applicant's type is not among them; it will be rejected",
        "check the pool and the institution",
    ),
    Code.MISSING_QUANTITY: (
        "warning: the scheme sets a rate, but the application lacks `participants` (or `study_points`) to apply it to; it will be rejected",
        "add the missing quantity",
    ),
    Code.TEXT_LOOKS_BOOLEAN: (
        'warning: unquoted text such as `NO`, `yes`, `on`, `off` or `2021-09-15`; kompalloc reads it as text, but YAML 1.1 tools (PyYAML\'s `safe_load`, many linters) read it as a boolean (the "Norway problem") or a date',
        'quote it: `"NO"`',
    ),
    Code.MISSING_SCORE: (
        "warning: the root pool orders by score (`order: score`) and the application has no `score`; it will be rejected",
        "add the council's score",
    ),
    Code.BELOW_MIN_SCORE: (
        "warning: the application's score is below the root pool's `min_score`; it will be rejected",
        "",
    ),
    Code.MISSING_BUDGET: (
        "warning: a pool it draws on has an `aid_intensity` and the application gives no `budget`; it will be rejected",
        "add the offer's budgeted cost",
    ),
    Code.ROOT_ONLY_KEY: (
        "a sub-pool sets a key that only a root pool can set (`method`, `shortfall`, `order`, `min_score`, `ties`, `seed`, `unit`, `apportion`, `earmarks`)",
        "move it to the root pool",
    ),
    Code.TIED_APPLICATIONS: (
        "a pool with `ties: refuse` has applications its order cannot tell apart (same rank or score and `tie_break`); all of them are listed",
        "give them different ranks or a `tie_break`, or choose `ties: order` or `ties: lottery`",
    ),
    Code.BAD_APPORTIONMENT: (
        "an apportionment that cannot work: `method: apportion` without `apportion:`, a weight for an unknown group, or a floor or cap for a group without a weight",
        "see 'Allocation methods' in README",
    ),
    Code.EARMARK_NEEDS_PRIORITY: (
        "earmarks work with the priority method (alone or inside an apportionment)",
        "use `method: priority`, or remove the earmarks",
    ),
    Code.FIXED_GRANT_OVER_REQUEST: (
        "a council's `fixed_grant` is more than the application requests",
        "check both amounts",
    ),
    Code.FIXED_GRANTS_OVER_CAP: (
        "the fixed grants alone are more than a cap they fall under allows",
        "lower a fixed grant or raise the cap",
    ),
    Code.ZERO_UNIT: (
        "a pool's rounding `unit` is 0",
        "use e.g. `1 kr` or `1 000 kr`",
    ),
    Code.COMMITTED_OVER_ANCESTOR: (
        "money `committed` in a sub-pool (with what is committed below it) is more than a pool above it can hold: its cap is smaller. The run is refused: the report would show a negative amount available",
        "lower `committed`, or raise the cap of the pool above",
    ),
    Code.APPORTION_FLOOR_OVER_CAP: (
        "an apportioned group's floor is more than its cap: no share can be both. The run is refused",
        "lower the floor or raise the cap in `apportion:`",
    ),
    Code.APPORTION_FLOORS_OVER_POT: (
        "the floors of an apportionment add up to more than the pool has to apportion (its cap less committed money): not every group can get its floor. The run is refused",
        "lower the floors, or raise the pool's cap",
    ),
    Code.APPORTION_CAPS_BELOW_POT: (
        "warning: every group with a weight has a cap, and the caps add up to less than the pool has to apportion: the rest is left unused",
        "raise a cap, or remove one so that a group can take the rest",
    ),
    Code.APPORTION_WITHOUT_WEIGHT: (
        "an apportionment has no weights, or every weight is 0: its money would go to nobody. The run is refused",
        "give at least one group a weight above 0",
    ),
    Code.FIXED_GRANTS_IN_EXCLUSIVE_GROUP: (
        "two applications of one `exclusive_group` both have a `fixed_grant`, but at most one of a group can be funded. The run is refused",
        "keep the fixed grant of the one the council chose",
    ),
    Code.EARMARKS_OVER_POOL: (
        "warning: a pool's earmarks add up to more than it has (its cap less committed money), so they cannot all be used",
        "lower the earmarks, or raise the pool's cap",
    ),
    Code.EXPORT_UNREADABLE: (
        "`kompalloc import`: the export cannot be read as a spreadsheet (not CSV or `.xlsx`, an old `.xls`, an encrypted or damaged workbook, no such sheet, no header row)",
        "save it as `.xlsx` or as CSV (UTF-8); name an existing sheet with `--sheet`",
    ),
    Code.EXPORT_ENCODING: (
        "warning: a CSV export is not UTF-8; it was read as Windows-1252 (or Latin-1), which may garble characters other than æ, ø and å",
        "check the imported text, or save the export as CSV UTF-8 (or name its `encoding:` in the mapping)",
    ),
    Code.MISSING_COLUMN: (
        'a column the mapping names is not in the export\'s header row (a "did you mean" hint when one is close)',
        "fix the column name in the mapping, or `header_row` if the header is not in row 1",
    ),
    Code.AMBIGUOUS_COLUMN: (
        "the header row has a column the mapping uses more than once",
        "rename one of the columns in the export",
    ),
    Code.EMPTY_CELL: (
        "a cell that a required value (or the id) comes from is empty, and the mapping gives no default",
        "fill the cell, or give the key a value under `defaults:` in the mapping",
    ),
    Code.UNMAPPED_VALUE: (
        "a cell's value is not among the keys of its column's `map` in the mapping",
        "add the value to the column's `map`, or `unmapped: keep` to keep values the map does not name",
    ),
    Code.BAD_CELL_DATE: (
        "a cell is not a date in the column's `date_format` (by default `YYYY-MM-DD` or `DD.MM.YYYY`), or is a number where a date was expected",
        "fix the cell, or set the column's `date_format` in the mapping",
    ),
    Code.ROW_TOO_WIDE: (
        "a CSV row has more cells than the header row (often a decimal comma in a comma-separated file)",
        "quote the cell in the export, or export with `;` between cells",
    ),
    Code.NO_ROWS: (
        "warning: the export has a header row but no applications",
        "check that you exported the right list",
    ),
    Code.FORMULA_WITHOUT_VALUE: (
        "a workbook cell the mapping uses holds a formula but no computed value (the workbook was written by openpyxl, pandas or LibreOffice headless and never saved by a spreadsheet program), so its value is unknown",
        "open and save the workbook in a spreadsheet program, or paste the values, then import again",
    ),
    Code.SCENARIO_UNKNOWN_ID: (
        'a scenario changes an entry that does not exist, or that an earlier scenario of the run removed (a "did you mean" hint when one is close)',
        "fix the id, or check the order of the scenarios",
    ),
    Code.SCENARIO_ID_EXISTS: (
        "a scenario adds an entry whose id is already defined",
        "use `replace:` to change the entry whole, or `set:` to change some of its values",
    ),
    Code.SCENARIO_EXPECTATION_FAILED: (
        "a scenario's precondition (`expect:`) does not hold: the data has moved on since the scenario was written",
        "check that the change still makes sense, then update `expect:`",
    ),
    Code.SCENARIO_BAD_CHANGE: (
        "a change that cannot be made: operations that do not go together (`add` with `set`, `remove` with `set`, …), a change that does nothing, unsetting a required key, or `move_to_rank` outside applications",
        "see 'What-if scenarios' in README",
    ),
    Code.SCENARIO_OVERRIDE: (
        "warning: a scenario (or `--set`) changes a value or an entry that an earlier scenario of the same run changed; the later one wins",
        "check the order of the scenarios, or merge them into one",
    ),
    Code.SCENARIO_SAME_VALUE: (
        "warning: a change sets a value to what it already is",
        "remove the change, or check that the scenario was written for this data",
    ),
    Code.DECISIONS_UNREADABLE: (
        "an earlier round's decisions file cannot be read, or is not one `kompalloc allocate --format json` wrote",
        "write it again with `kompalloc allocate ... --format json --output FILE`; the path is relative to the YAML file that names it",
    ),
    Code.DECISIONS_DIGEST: (
        "an earlier round's decisions file is not the one its `sha256` pins (it changed since)",
        "check what changed; the message gives the file's digest to write if the change is meant",
    ),
    Code.GRANT_NO_POOL: (
        "an earlier grant is for a budget year its scheme has no pool for, or an earlier round's grant names a pool that is not loaded",
        "add the pool of that year, or correct the year",
    ),
    Code.RETURN_UNKNOWN_GRANT: (
        "an earlier round's `returns` names an application that round did not grant money to",
        "check the application id against the decisions file",
    ),
    Code.GRANTS_OVER_ROOM: (
        "earlier grants (with the committed lump sum) are more than a pool's cap in a budget year, or earlier grants alone are more than a share, institution cap or limit they fall under (an error, as a fixed grant over a cap is: such a cap would start below zero)",
        "check the grants and the cap, share or limit; withdrawn and repaid money is already counted back",
    ),
    Code.REPAID_OVER_GRANT: (
        "a repayment is more than the grant it repays (in its year)",
        "check the amount",
    ),
    Code.RETURN_STATUS: (
        "an earlier grant's status and its return disagree: `repaid` without an amount, an amount or date with `granted`, an amount with `withdrawn`, or a return without its date",
        "write `status: repaid` with `returned:` and `returned_on:`, or `status: withdrawn` with `returned_on:`",
    ),
    Code.LEDGER_DATE_ORDER: (
        "a grant is withdrawn or repaid before it was decided, or a repayment goes to a year the grant has no money in",
        "check the dates and `returned_year`",
    ),
    Code.LEDGER_AFTER_AS_OF: (
        "an earlier round's decisions were made as of a date after this run's `--as-of`: that round saw applications this one leaves out",
        "run with a later `--as-of`, or build on a decisions file written as of an earlier date",
    ),
}
"""(meaning, how to fix) for every code; the fix may be empty when the meaning says it all."""


def explain(code: Code) -> str:
    """A code's documentation as a few lines of text."""
    meaning, fix = EXPLANATIONS[code]
    text = f"{code.value} ({code.name.lower().replace('_', '-')}): {meaning}"
    return text + (f"\nfix: {fix}" if fix else "")


def markdown_table() -> str:
    """README's table of codes, generated from EXPLANATIONS in code order."""
    lines = ["| code | meaning | how to fix |", "|---|---|---|"]
    lines += [f"| {c.value} | {EXPLANATIONS[c][0]} | {EXPLANATIONS[c][1]} |" for c in Code]
    return "\n".join(lines)
