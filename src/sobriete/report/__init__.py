"""Reports: terminal text (French by default, English available), JSON, CSV and XLSX.

Words come from one message catalogue (:mod:`.messages`); numbers are formatted for the
reader's language; spreadsheet outputs are neutralised against formula injection.
"""

from .assessment import FORMATS, render, render_table, to_dict, to_json, write, write_csv, write_xlsx
from .formatting import format_number, format_percent, neutralise, text_table
from .error_messages import error_text
from .messages import LANGUAGES, message, reason

__all__ = ["FORMATS", "LANGUAGES", "error_text", "format_number", "format_percent", "message", "neutralise", "reason",
           "render", "render_table", "text_table", "to_dict", "to_json", "write", "write_csv", "write_xlsx"]
