"""Every issue code, declared once: its slug, severity, a short Japanese summary and how to fix it.

This is the registry the checks refer to (frictionless declares each error beside its template the
same way): a check names the declaration, ``Issue.of(Code.RATE_MISMATCH, file, message, row=…)``,
and the severity comes from here, never from the call site.  The slug is the stable ``code`` of
the JSON report; ``docs/inputs.md`` and ``docs/collect.md`` list the same codes with the same
severities (tests/test_codes.py holds them together).

It imports only ``parse`` (whose problems it names), so every layer above ``parse`` may use it.
"""

from __future__ import annotations

from enum import StrEnum, unique
from typing import Literal

from aomori_dx.parse import Problem

__all__ = ["Code", "Severity"]

Severity = Literal["error", "warning"]


@unique
class Code(StrEnum):
    """An issue code.  The member is the slug itself (``Code.RATE_MISMATCH == "rate-mismatch"``)."""

    severity: Severity
    summary: str
    fix: str

    def __new__(cls, slug: str, severity: Severity, summary: str, fix: str) -> Code:
        member = str.__new__(cls, slug)
        member._value_ = slug
        member.severity = severity
        member.summary = summary
        member.fix = fix
        return member

    @classmethod
    def of_problem(cls, problem: Problem) -> Code:
        """The code of a value ``parse`` could not read (each problem is named after its code)."""
        return cls[problem.name]

    # Files and folders.
    MISSING_FOLDER = (
        "missing-folder",
        "error",
        "期のフォルダがない",
        "パス（inputs/fy2025-h1 など）を確かめる。",
    )
    MISSING_FILE = ("missing-file", "error", "ファイルがない", "ファイル名の綴りとフォルダを確かめる。")
    DUPLICATE_FILE = ("duplicate-file", "error", "同じ表の CSV と XLSX がある", "どちらか一方を消す。")
    UNREADABLE_FILE = (
        "unreadable-file",
        "error",
        "ファイルを読めない",
        "メッセージの理由に従い、Excel で「CSV UTF-8」か「Excel ブック」で保存し直す。",
    )
    SEVERAL_SHEETS = (
        "several-sheets",
        "warning",
        "表示されているシートが2枚以上ある",
        "読ませたいシートを開いた状態で保存するか、ほかのシートを消す。",
    )
    # Header row.
    MISSING_COLUMN = ("missing-column", "error", "必要な列がない", "見出し行（1行目）にその列を足す。")
    DUPLICATE_COLUMN = ("duplicate-column", "error", "同じ意味の列が2つある", "1つにする。")
    UNKNOWN_COLUMN = ("unknown-column", "warning", "どの列にも当たらない見出し", "打ち間違いなら直す。")
    # Cell values.
    MISSING_VALUE = ("missing-value", "error", "空欄にできないセルが空欄", "値を入れる。")
    INVALID_NUMBER = ("invalid-number", "error", "数値として読めない", "数字だけを書く。")
    UNIT_MISMATCH = (
        "unit-mismatch",
        "error",
        "値の単位が単位列と違う",
        "値から単位を消し、単位は単位列に書く。",
    )
    INVALID_PERIOD = (
        "invalid-period",
        "error",
        "時点として読めない",
        "R4年度、R5年度末、R6年11月末時点 のように書く。",
    )
    INVALID_FISCAL_YEAR = (
        "invalid-fiscal-year",
        "error",
        "年度として読めない、または年度の前後が逆",
        "R6、令和6年度、2024 のように書き、年度の前後を直す。",
    )
    INVALID_DATE = ("invalid-date", "error", "日付として読めない", "2024-12-18 のように書く。")
    INVALID_TIME = ("invalid-time", "error", "時刻として読めない", "15:00 のように書く。")
    TIME_ORDER = ("time-order", "error", "終了時刻が開始時刻と同じか前", "時刻を直す。")
    AS_OF_AFTER_DATE = (
        "as-of-after-date",
        "warning",
        "基準日（as_of）が会議の開催日（date）より後",
        "基準日か開催日の年・月を直す。",
    )
    INVALID_FLAG = (
        "invalid-flag",
        "error",
        "はい／いいえとして読めない",
        "該当なら ○、該当しないなら空欄にする。",
    )
    INVALID_BUDGET = (
        "invalid-budget",
        "error",
        "事業費が数値でないかマイナス",
        "0 以上の千円単位の数値だけを書く。",
    )
    INVALID_KIND = ("invalid-kind", "error", "計画・実績の区分が読めない", "計画 か 実績 にする。")
    INVALID_SECTION = (
        "invalid-section",
        "error",
        "資料区分が読めない",
        "dashboard・roadmap・discussion のどれかにするか、空欄にする。",
    )
    INVALID_TARGET = ("invalid-target", "error", "目標値が 0 以下", "0 より大きい目標値にする。")
    CONTROL_CHARACTER = (
        "control-character",
        "error",
        "制御文字がある",
        "メッセージの「○文字目」の文字を消す。",
    )
    FORMULA_WITHOUT_VALUE = (
        "formula-without-value",
        "error",
        "数式の計算結果が保存されていない",
        "Excel で開いて保存し直すか、値を入力する。",
    )
    FORMULA_ERROR = (
        "formula-error",
        "error",
        "`.xlsx` の数式の結果がエラー（#REF!、#N/A など）",
        "数式を直すか、値を入力する。",
    )
    HIDDEN_CELLS = (
        "hidden-cells",
        "error",
        "`.xlsx` の表の非表示の行・列に値がある（Excel の画面では見えないが、読まれて資料に出る）",
        "再表示して、使わない行・列は削除する。",
    )
    MERGED_CELLS = (
        "merged-cells",
        "error",
        "Excel の結合セルがある（左上のセルにしか値がなく、ほかのセルは空欄として読まれる）",
        "結合を解除し、各行（各セル）に値を入れる。",
    )
    EXTRA_CELLS = (
        "extra-cells",
        "error",
        "見出しのない列に値がある",
        '値の中のカンマを " で囲むか全角の「，」にする。',
    )
    # Within a table and across tables.
    DUPLICATE_KEY = ("duplicate-key", "error", "同じキーが2回ある", "1つにする。")
    DUPLICATE_KPI = ("duplicate-kpi", "error", "同じ KPI番号が2回ある", "番号を直す。")
    DUPLICATE_INDICATOR = (
        "duplicate-indicator",
        "error",
        "同じ KPI に同じ名前の中間指標がある",
        "重複を消すか、名前を区別する。",
    )
    DUPLICATE_PROJECT = ("duplicate-project", "error", "同じ事業番号が2回ある", "番号を直す。")
    DUPLICATE_FEATURED = (
        "duplicate-featured",
        "error",
        "主な取組の番号が重なっている",
        "重ならないように付け直す。",
    )
    UNKNOWN_KPI = ("unknown-kpi", "error", "KPI番号が kpis.csv にない", "kpis.csv の id と同じ文字にする。")
    KPI_WITHOUT_INDICATORS = (
        "kpi-without-indicators",
        "error",
        "中間指標のない KPI がある",
        "中間指標を足すか、KPI番号の綴りを直す。",
    )
    PERIOD_ORDER = ("period-order", "error", "前期の時点が直近の時点より前でない", "時点を直す。")
    PERIOD_AFTER_AS_OF = ("period-after-as-of", "error", "時点が基準日より後", "時点か基準日を直す。")
    INVALID_DIRECTION = ("invalid-direction", "error", "目標の方向が読めない", "空欄か 増加、減少 にする。")
    INVALID_BASELINE = (
        "invalid-baseline",
        "error",
        "減らす指標の基準値が目標値以下",
        "基準値を目標値より大きくする。",
    )
    UNMARKED_DIRECTION = (
        "unmarked-direction",
        "warning",
        "方向が空欄の指標が減らす指標に見える",
        "減らす指標なら direction に 減少 と基準値を、増やす指標なら 増加 と書く。",
    )
    IMPLAUSIBLE_MAGNITUDE = (
        "implausible-magnitude",
        "warning",
        "値の大きさが単位やほかの値に合わない",
        "単位と桁を確かめる。",
    )
    MISSING_LATEST = (
        "missing-latest",
        "warning",
        "直近の値がない",
        "値を入れる。まだ出ていないなら、そのままでよい。",
    )
    UNCONFIRMED = (
        "unconfirmed",
        "warning",
        "この期の値として確認されていない",
        "担当課に確かめて confirmed を ○ にする。",
    )
    RATE_MISMATCH = (
        "rate-mismatch",
        "warning",
        "転記した達成率が計算と合わない",
        "値・目標値か転記した達成率を直す。",
    )
    MISSING_LICENSE = (
        "missing-license",
        "warning",
        "オープンデータの利用条件か公開者がない",
        "license・publisher の行を書く。",
    )
    UNKNOWN_LICENSE = (
        "unknown-license",
        "warning",
        "利用条件の本文の URL がない",
        "license_url の行に URL を書く。",
    )
    # Roadmap.
    UNKNOWN_PROJECT = (
        "unknown-project",
        "error",
        "事業番号が事業一覧にない",
        "事業番号を直すか、projects.csv を置く。",
    )
    DUPLICATE_SHEET = (
        "duplicate-sheet",
        "error",
        "同じ事業の詳細シートが2つある",
        "1つにする（8.md のように 0 を付けない名前）。",
    )
    FISCAL_YEAR_OUTSIDE_ROADMAP = (
        "fiscal-year-outside-roadmap",
        "error",
        "取組の年度がロードマップの外",
        "年度かロードマップの年度を直す。",
    )
    FISCAL_YEAR_OUTSIDE_TERM = (
        "fiscal-year-outside-term",
        "error",
        "取組の年度が事業の期間の外",
        "年度か事業の始期・終期を直す。",
    )
    ACTUAL_IN_FUTURE = (
        "actual-in-future",
        "error",
        "まだ始まっていない年度に実績がある",
        "その年度の実績を消す。",
    )
    # Text (Markdown) and pictures.
    MARKDOWN_ERROR = ("markdown-error", "error", "使えない Markdown の書き方", "決まった書き方に直す。")
    UNKNOWN_FIELD = (
        "unknown-field",
        "error",
        "見出しが分野名でない",
        "kpis.csv・projects.csv の分野名と同じにする。",
    )
    MISSING_IMAGE = ("missing-image", "error", "画像のファイルがない", "画像を置くか、場所の書き方を直す。")
    INVALID_IMAGE = (
        "invalid-image",
        "error",
        "画像が PNG・JPEG として読めないか大きすぎる",
        "PNG か JPEG で保存し直す。",
    )
    OUTSIDE_FOLDER = (
        "outside-folder",
        "error",
        "期のフォルダの外を指している",
        "期のフォルダの中に置き、相対パスで書く。",
    )
    # Collecting the answers of the divisions (aomori-dx collect).
    NOT_A_REQUEST = ("not-a-request", "error", "照会ファイルではない", "照会ファイルに記入してもらう。")
    WRONG_PERIOD = ("wrong-period", "error", "別の期の照会ファイル", "この期の照会ファイルを送り直す。")
    WRONG_DIVISION = (
        "wrong-division",
        "error",
        "この期にない担当課のファイル",
        "照会ファイルを作り直して送る。",
    )
    MISSING_SHEET = ("missing-sheet", "error", "照会ファイルのシートがない", "照会ファイルを送り直す。")
    PROTECTED_CELL_EDITED = (
        "protected-cell-edited",
        "error",
        "変更できないセルが変更されている",
        "担当課に確かめる。目標値などは indicators.csv を直して照会ファイルを作り直す。",
    )
    STALE_REQUEST = (
        "stale-request",
        "error",
        "照会の後で期の表から消えた行への回答",
        "照会ファイルを作り直して送る。",
    )
    CONFLICTING_ANSWER = (
        "conflicting-answer",
        "error",
        "別のファイルが違う回答をしている",
        "どちらが正しいか担当課に確かめ、正しいファイルだけで collect する。",
    )
    CSV_ONLY = (
        "csv-only",
        "error",
        "collect は CSV の表にだけ書き込める",
        "表を CSV で保存し直してから collect する。",
    )
    COLLECT_LOCKED = ("collect-locked", "error", "ほかの collect が取り込み中", "終わるのを待つ。")
    REMARK = ("remark", "warning", "備考の記入", "読んで対応する。")
