/* diag_help.c: what the user can do about each finding, the longer text
 * `nianbao explain` prints after a code's summary (nb_code_help). Kept
 * beside the code table (include/nianbao/diag_codes.def) rather than in
 * it, so that a row there stays one line; tests/unit/check_diag.c checks
 * that every code has one. */
#include "internal.h"

typedef struct help_row {
    nb_code code;
    const char *help;
} help_row;

static const help_row help_table[] = {
    {NB_CSV_ENCODING,
     N_("Save the file again as CSV UTF-8 or as CSV from Excel or WPS, "
     "or give --encoding=gb18030 or --encoding=utf-8")},
    {NB_CSV_CONTROL_CHAR,
     N_("Delete the invisible character from the cell (it often comes "
     "from copying out of another program)")},
    {NB_CSV_UNTERMINATED_QUOTE,
     N_("Close the quote the message points at, or save the file from "
     "Excel or WPS again")},
    {NB_CSV_CELL_TOO_LARGE,
     N_("Split the text over several rows, or raise the limit with "
     "--limit")},
    {NB_CSV_TOO_MANY_CELLS,
     N_("Delete the empty columns at the right of the sheet, or raise "
     "the limit with --limit")},
    {NB_CSV_TOO_LARGE,
     N_("Check that this is the right file; raise the limit with "
     "--limit if it is")},
    {NB_CSV_COLUMN_UNKNOWN,
     N_("Rename the column to one the form has (nianbao init writes "
     "blank forms), or delete it")},
    {NB_CSV_COLUMN_MISSING,
     N_("Add the column the message names to the header row")},
    {NB_CSV_COLUMN_DUPLICATE,
     N_("Delete or rename one of the two columns")},
    {NB_CSV_RAGGED_ROW,
     N_("Fill the row to as many cells as the header, or remove the "
     "extra cells (a comma inside a cell needs quotes)")},
    {NB_CSV_REQUIRED,
     N_("Fill in the cell")},
    {NB_CSV_TYPE,
     N_("Write the number alone (the unit goes in its own column), a "
     "date as 2023年2月8日 or 2023-02-08, a year as 2022")},
    {NB_CSV_ENUM,
     N_("Write one of the values the message lists")},
    {NB_CSV_PATTERN,
     N_("Write the value in the form the message shows")},
    {NB_CSV_RANGE,
     N_("Write a value within the range or length the message gives")},
    {NB_CSV_DUPLICATE_KEY,
     N_("Keep one of the two rows, or give the second its own key")},
    {NB_FORM_MISSING,
     N_("Add the form (nianbao init writes a blank form set) or check "
     "the folder name")},
    {NB_FORM_UNKNOWN_FILE,
     N_("Move the file out of the folder, or rename it to the form it "
     "is meant to be")},
    {NB_FORM_STRUCTURE,
     N_("Reorder or regroup the rows as docs/forms.md describes: a "
     "part, then its areas, then their paragraphs and items")},
    {NB_FORM_NOT_FORM,
     N_("Use a form nianbao init writes (meta.csv, narrative.csv, "
     "metrics.csv), with its header row")},
    {NB_FORM_SCHEMA_BROKEN,
     N_("Reinstall nianbao; report the problem if it persists")},
    {NB_CSV_BAD_QUOTE,
     N_("Put the whole cell in quotes and double the quote inside "
     "(\"\"), or save the file from Excel or WPS again")},
    {NB_CSV_ROW_TOO_LARGE,
     N_("Split the text over several rows, or raise the limit with "
     "--limit")},
    {NB_XML_MALFORMED,
     N_("Fix the XML at the place the message points at (a tag not "
     "closed, a & not written as &amp;)")},
    {NB_XML_ENCODING,
     N_("Save the file as UTF-8, or declare its real encoding in the "
     "first line")},
    {NB_XML_DTD_FORBIDDEN,
     N_("Remove the DOCTYPE and the entity declarations; write the "
     "characters themselves")},
    {NB_XML_TOO_DEEP,
     N_("Check that this is a report; raise the limit with --limit if "
     "it is")},
    {NB_XML_TOO_LARGE,
     N_("Check that this is the right file; raise the limit with "
     "--limit if it is")},
    {NB_XML_NOT_REPORT,
     N_("Give a report XML (<report xmlns=\"urn:nianbao:report:1\">, "
     "docs/report-xml.md) or a form set folder")},
    {NB_XML_WARNING,
     N_("Check the place the message points at; the report is read all "
     "the same")},
    {NB_IMPORT_GUESS,
     N_("Check the structure with 'nianbao import DRAFT --tree'; correct "
     "the draft's wording or ordinals, or the report it wrote")},
    {NB_IMPORT_UNREADABLE,
     N_("Save the draft again from Word, WPS or the browser as .docx, "
     ".html or .txt")},
    {NB_IMPORT_ENCODING,
     N_("Save the text as UTF-8 (Notepad: Save as, encoding UTF-8)")},
    {NB_IMPORT_NO_TEXT,
     N_("Give the file that holds the report's text itself")},
    {NB_IMPORT_KEPT_AS_TEXT,
     N_("Move the paragraph in the report if it belongs to an area or "
     "item, or fix its ordinal in the draft")},
    {NB_IMPORT_ORDINALS,
     N_("Check the draft for a missing or repeated part, area or item, "
     "and correct its ordinals")},
    {NB_IMPORT_NO_META,
     N_("Add the office and the year to the report's meta (issuer, year) "
     "or put them in the draft's title")},
    {NB_IMPORT_PAGE_LINE,
     N_("Paste only the report's own text, from its title to its date, "
     "or check the line in the import's notes")},
    {NB_IMPORT_DATE_NO_DAY,
     N_("Write the date the report was signed in full (2024年3月12日) in "
     "the draft, or give <date> in the report's meta")},
    {NB_XSD_INVALID,
     N_("Change the element or value the message names as "
     "docs/report-xml.md describes")},
    {NB_XSD_SCHEMA_BROKEN,
     N_("Reinstall nianbao; report the problem if it persists")},
    {NB_RULE_METRIC_UNKNOWN,
     N_("Use a code nianbao indicators lists (--search finds one by "
     "its Chinese name), or add the indicator to a local catalog "
     "with --indicators")},
    {NB_RULE_METRIC_VALUE,
     N_("Write the figure as the indicator counts it: a whole number "
     "for a count, 0 to 100 for a rate")},
    {NB_RULE_METRIC_UNIT,
     N_("Write the catalog's unit or one it accepts (nianbao "
     "indicators lists them), or leave the unit empty")},
    {NB_RULE_SECTION_MISSING,
     N_("Add the part, or, for a work summary that art. 25 does not "
     "bind, set 报告类型 to 工作总结 in meta.csv or "
     "<profile>work-summary</profile> in the XML (or give "
     "--profile=work-summary)")},
    {NB_RULE_SECTION_EMPTY,
     N_("Write the part's content, or mark the report as a work "
     "summary (报告类型=工作总结, <profile>work-summary</profile>)")},
    {NB_RULE_PLANS_YEAR,
     N_("Title the plans for the year after the year reported, or "
     "correct the year reported")},
    {NB_RULE_DATE_YEAR,
     N_("Correct the date written or the year reported")},
    {NB_RULE_DATE_LATE,
     N_("Check the date written; a late report is still valid")},
    {NB_RULE_PART_EXCEEDS,
     N_("Correct the part or the whole; to keep published figures, "
     "acknowledge the finding (allow=\"NB5020\" reason=\"…\")")},
    {NB_RULE_SUM_MISMATCH,
     N_("Correct a part or the whole, or acknowledge the finding with "
     "a reason (allow=\"NB5021\" reason=\"…\")")},
    {NB_RULE_RATE_MISMATCH,
     N_("Correct the rate or its counts; for a published rate that "
     "truncates, state rounding=\"truncate\"; else acknowledge it "
     "(allow=\"NB5022\" reason=\"…\", or --allow NB5022)")},
    {NB_RULE_RATE_UNDEFINED,
     N_("Give the denominator's count, or leave the rate out")},
    {NB_RULE_REF_UNKNOWN,
     N_("Use a code or a name nianbao indicators lists (--search finds "
     "one), or the one the message suggests")},
    {NB_RULE_REF_MISSING,
     N_("Add the metric to the metrics (metrics.csv or <metrics>), or "
     "type the figure")},
    {NB_RULE_REF_SYNTAX,
     N_("Write {{code}}, {{code.value}} or {{code.yoy}}; write {{ "
     "itself as {{\"{{\"}}")},
    {NB_RULE_REF_NO_PREVIOUS,
     N_("Give last year's report with --previous, or drop the "
     "year-on-year change")},
    {NB_RULE_REF_NO_CHANGE,
     N_("Give last year's exact figure, or drop the year-on-year change")},
    {NB_RULE_FIGURE_TYPED,
     N_("Replace the typed figure by a reference to the metric, so "
     "text and data agree")},
    {NB_RULE_FIGURE_UNSOURCED,
     N_("Check the figure against the data sheet; add it to the "
     "metrics if an indicator fits")},
    {NB_RULE_PREVIOUS_YEAR,
     N_("Give the report for the year before with --previous")},
    {NB_RULE_PREVIOUS_ISSUER,
     N_("Give this office's own report of last year with --previous")},
    {NB_CATALOG_INVALID,
     N_("Fix the catalog as schemas/indicators.xsd and docs/rules.md "
     "describe")},
    {NB_CATALOG_COLLISION,
     N_("Give the local indicator a code and a name of its own (an "
     "office prefix, such as mm_)")},
    {NB_CATALOG_FORMULA,
     N_("Name only indicators of the catalog or of the file; use "
     "codes, numbers, + - * / and parentheses")},
    {NB_TYPO_HALF_WIDTH_MARK,
     N_("Write the full-width mark (，；：？！（）); nianbao fix does it for the whole file")},
    {NB_TYPO_UNBALANCED,
     N_("Add the missing half of the pair, or delete the stray one")},
    {NB_TYPO_DOUBLED_MARK,
     N_("Keep one of the marks; nianbao fix does it")},
    {NB_TYPO_SPACE_IN_CHINESE,
     N_("Delete the space (or write a full-width space where a gap is meant); nianbao fix deletes it")},
    {NB_TYPO_FULL_WIDTH_ALNUM,
     N_("Write the digits and letters half-width; nianbao fix does it")},
    {NB_TYPO_LEAD_FULL_STOP,
     N_("Delete the mark at the end of the lead phrase or title: the template adds 。")},
    {NB_TYPO_TYPED_ORDINAL,
     N_("Delete the typed ordinal, or set numbering=\"none\" (不编号) on the area to keep your own")},
    {NB_TYPO_YEAR_ZERO_MIXED,
     N_("Write the year with 〇 throughout (二〇二二年), or in Arabic numerals")},
    {NB_TYPO_SIGNER_NO_DATE,
     N_("Give the 成文日期 (meta's date, or 成文日期 in meta.csv)")},
    {NB_TYPO_FIXED,
     N_("Nothing: run nianbao fix --write to apply the changes a dry run lists")},
    {NB_TYPO_FIX_UNREADABLE,
     N_("Save the file as UTF-8 (or a CSV form as GB18030), or give fix only .xml and .csv files")},
    {NB_TMPL_TAG_UNCLOSED,
     N_("Close the tag with }} in the same paragraph")},
    {NB_TMPL_TAG_SYNTAX,
     N_("Write the tag as docs/templates.md describes: {{field}}, "
     "{{#list}}…{{/list}}, {{! comment}}")},
    {NB_TMPL_SECTION_UNCLOSED,
     N_("Add the closing {{/name}} tag")},
    {NB_TMPL_SECTION_MISMATCH,
     N_("Close the sections in the reverse order they were opened")},
    {NB_TMPL_SECTION_LEVEL,
     N_("Put the opening and closing tags in paragraphs of the same "
     "level (both in the body, or in the same table)")},
    {NB_TMPL_FILTER_UNKNOWN,
     N_("Use a filter docs/templates.md lists")},
    {NB_TMPL_NOT_DOCX,
     N_("Save the template from Word, WPS or LibreOffice as .docx")},
    {NB_TMPL_PART_MALFORMED,
     N_("Open and save the template in Word, WPS or LibreOffice again")},
    {NB_TMPL_FILTER_INPUT,
     N_("Nothing: the code is retired (see NB7002)")},
    {NB_TMPL_TOO_DEEP,
     N_("Nest fewer sections, or raise the limit with --limit")},
    {NB_TMPL_FILTER_ARG,
     N_("Give the filter the argument docs/templates.md describes")},
    {NB_TMPL_TAG_ACROSS_PARAGRAPHS,
     N_("Put the whole tag in one paragraph")},
    {NB_TMPL_TAG_STRAY_CLOSE,
     N_("Delete the }} or add the {{ it closes")},
    {NB_TMPL_PATH_UNKNOWN,
     N_("Use a name check-template --standard lists, or the one the "
     "message suggests")},
    {NB_TMPL_PATH_SCOPE,
     N_("Move the tag inside a section over the list "
     "({{#list}}…{{/list}})")},
    {NB_TMPL_METRIC_UNKNOWN,
     N_("Use a code nianbao indicators lists, or give the local "
     "catalog with --indicators")},
    {NB_TMPL_PATH_LIST,
     N_("Open a section over the list ({{#list}}) and name the field "
     "inside it")},
    {NB_TMPL_FIELD_NOT_TEXT,
     N_("Name a field of text inside it, or open a section over it")},
    {NB_TMPL_SECTION_OPTION,
     N_("Remove the option, or use one docs/templates.md lists for "
     "this section")},
    {NB_TMPL_POSITION_OUTSIDE,
     N_("Move @index, @first or @last inside a section over a list")},
    {NB_TMPL_POSITION_UNKNOWN,
     N_("Write @index, @first or @last")},
    {NB_TMPL_MACROS,
     N_("Open the template in Word, save it as a Word Document (.docx) "
        "or Word Template (.dotx), and check it again")},
    {NB_TMPL_REMOTE_TEMPLATE,
     N_("In Word, open Developer, Document Template and clear the "
        "attached template, or give --allow-external if the address is "
        "meant")},
    {NB_TMPL_DDE_FIELD,
     N_("Press Alt+F9 in Word to see field codes and delete the DDE "
        "field")},
    {NB_TMPL_EXTERNAL_CONTENT,
     N_("Put the picture itself into the template (Insert, Picture, not "
        "Link to File); --allow-external makes this a note")},
    {NB_TMPL_EXTERNAL_LINK,
     N_("Check the link's address; --allow-external makes this a note")},
    {NB_TMPL_INCLUDE_FIELD,
     N_("Press Alt+F9 in Word to see field codes; replace the field by "
        "the text or picture it includes")},
    {NB_TMPL_ALT_CHUNK,
     N_("Open the template in Word and save it again: Word turns the "
        "imported content into the template's own")},
    {NB_TMPL_OLE_OBJECT,
     N_("Replace the object by a picture (Paste Special, Picture)")},
    {NB_TMPL_SUB_DOCUMENT,
     N_("Open the template in Word's Outline view and unlink the "
        "subdocument, so that its text becomes the template's own")},
    {NB_TMPL_PART_DOCTYPE,
     N_("Save the template again in Word or WPS, which never write a "
        "DOCTYPE; the part is named in the message")},
    {NB_TMPL_PART_UNREFERENCED,
     N_("In Word, attach the header or footer to a section (Layout, "
        "Headers and Footers), or delete the part from the template")},
    {NB_DATA_JSON_MALFORMED,
     N_("Correct the JSON at the line and column given")},
    {NB_DATA_JSON_ROOT,
     N_("Put the data in an object: {\"name\": …}")},
    {NB_DATA_TOO_LARGE,
     N_("Raise the limit with --limit input=SIZE, or split the data")},
    {NB_DATA_SCHEMA_MALFORMED,
     N_("Correct the schema at the line and column given; its top level is an object such as {\"type\": \"object\"}")},
    {NB_DATA_SCHEMA_LIMIT,
     N_("Move repeated parts of the schema into $defs and refer to them with $ref")},
    {NB_DATA_SCHEMA_REF,
     N_("Point the $ref at a schema of the same file (#/$defs/NAME), and give a schema that refers to itself a type or properties")},
    {NB_DATA_SCHEMA_UNSUPPORTED,
     N_("Leave the keyword out, or check that rule another way; write a pattern as a POSIX extended regular expression ([0-9] for \\d)")},
    {NB_DATA_SCHEMA_INVALID,
     N_("Change the value at the JSON pointer shown so that it meets the schema keyword named, or correct the schema")},
    {NB_DOCX_WRITE,
     N_("Check the message's cause (space, permissions) and render "
     "again")},
    {NB_RENDER_FILTER_INPUT,
     N_("Correct the value in the data, or change the filter in the "
     "template")},
    {NB_RENDER_BAD_CHAR,
     N_("Delete the characters from the data (they often come from "
     "copying out of another program)")},
    {NB_RENDER_NO_ARTICLE,
     N_("Put <article> and </article> around the report's body in the "
     "HTML template, or render without --fragment")},
    {NB_TMPL_HTML_ENCODING,
     N_("Save the HTML template as UTF-8 in the editor (Save as, "
     "encoding UTF-8)")},
    {NB_RENDER_FORMAT,
     N_("Give an HTML template (or none) for .html output, and a .docx "
     "template (or none) for .docx, .txt and .pdf output")},
    {NB_INBOX_NOT_SUBMISSION,
     N_("Move the file out of the folder, or submit it as a report "
     "XML, a form set or a zip of one")},
    {NB_SUBMISSION_ZIP_CONTENTS,
     N_("Zip exactly one report (one report XML or one form set folder)")},
    {NB_INBOX_DUPLICATE,
     N_("Keep the right submission and move the other out of the folder")},
    {NB_INBOX_UNEXPECTED,
     N_("Add the office to the list of expected offices, or correct "
     "its 发布机构")},
    {NB_INBOX_MISSING,
     N_("Ask the office for its report, or take it off the list of "
     "expected offices")},
    {NB_INBOX_EXPECT_FILE,
     N_("Give a list of offices as docs/inbox.md describes (one per "
     "line, or a CSV with a 单位 column)")},
    {NB_AGGREGATE_NOT_SUMMED,
     N_("Ask the office for an exact figure in the catalog's unit to "
     "have it summed")},
    {NB_AGGREGATE_OVERFLOW,
     N_("Check the figures of the submissions for a typing error")},
    {NB_AGGREGATE_TOTALS_FILE,
     N_("Give a totals file nianbao aggregate wrote")},
    {NB_IO_OPEN,
     N_("Check the path and the permissions")},
    {NB_IO_READ,
     N_("Check the file and the disk; copy the file again if it is "
     "damaged")},
    {NB_IO_WRITE,
     N_("Check the folder's permissions and free space, then run again")},
    {NB_IO_NOMEM,
     N_("Close other programs or give smaller inputs, then run again")},
    {NB_LIMIT_ZIP,
     N_("Check that the zip is the right one; raise the limit with "
     "--limit if it is")},
    {NB_ZIP_CORRUPT,
     N_("Zip the files again, or ask the sender for a new copy")},
    {NB_ZIP_BAD_NAME,
     N_("Zip the files again with plain, distinct names")},
    {NB_LIMIT_OUTPUT,
     N_("Check the data for runaway repetition; raise the limit with "
     "--limit if it is right")},
    {NB_IO_OVERLAP,
     N_("Write the output elsewhere")},
    {NB_FORM_NOT_INSIDE,
     N_("Replace the link with a copy of the file it names")},
    {NB_FORM_NOT_REGULAR,
     N_("Replace it with the CSV file of the form")},
    {NB_XML_TOO_MANY_ATTRIBUTES,
     N_("Check where the file comes from; raise the limit with --limit "
     "attributes=N if it is trusted")},
    {NB_XML_TOO_MANY_ELEMENTS,
     N_("Check where the file comes from: a report has a few thousand "
     "elements; raise the limit with --limit elements=N if it is trusted")},
    {NB_NAME_NORMALIZED,
     N_("Retype the office's name without the extra characters")},
    {NB_AGGREGATE_TOTALS_YEAR,
     N_("Check that the file is a part of this roll-up (a shard with only late reports of another year is); if not, leave it out and run again")},
    {NB_AGGREGATE_TOTALS_UNIT,
     N_("Write every totals file with the same indicator catalog, or give this run the --indicators the file was written with")},
    {NB_META_TOO_LONG,
     N_("Shorten the item to the length the message gives; check that no other text was pasted into its cell")},
    {NB_CATALOG_RANGE,
     N_("Give the indicator a min no greater than its max, both 0 or more (a rate's at most 100), or leave them out")},
    {NB_IMPORT_FIGURE,
     N_("Check the figure against the data sheet; import with --no-metrics "
        "to keep every figure typed")},
    {NB_IMPORT_FIGURE_KEPT,
     N_("If it is the indicator's figure, give it as a metric and refer to "
        "it, {{code}} in a CSV form, <m code=\"code\"/> in XML")},
    {NB_RULE_SKIPPED,
     N_("Correct the rows the errors name, then validate again: the checks "
        "skipped now run on the whole report")},
    {NB_REPORT_PARTIAL,
     N_("Run nianbao validate on the data, correct every error it lists, "
        "then render or convert again")},
    {NB_INBOX_FAULT,
     N_("Let the user running nianbao read the entry (ls -l shows who may), "
        "or check the disk, then run again; the office need not send it "
        "again")},
    {NB_AGGREGATE_TOTALS_COPY,
     N_("Give each shard's totals file once; if two shards really hold "
        "different offices, check that each was aggregated from its own "
        "folder")},
    {NB_CATALOG_UNIT,
     N_("Give a rate the unit %, and a count or an amount the unit it counts in")},
    {NB_AGGREGATE_TOTALS_BASIS,
     N_("Write the totals file again with nianbao aggregate -o from its submissions; never edit a total by hand")},
    {NB_AGGREGATE_TOTALS_REPEAT,
     N_("Keep one row per year and indicator, or write the totals file again with nianbao aggregate")},
    {NB_RULE_ACKNOWLEDGED,
     N_("Nothing: the data acknowledges the finding with its reason; "
     "remove the acknowledgement once the figure is corrected")},
    {NB_RULE_ALLOW_UNUSED,
     N_("Remove the acknowledgement, or name the code of the finding "
     "the metric has")},
    {NB_RULE_CHECKS_SKIPPED,
     N_("Fix the errors listed before it, then validate again to run "
     "the skipped checks")},
    {NB_RULE_FIGURE_INDICATOR,
     N_("Give the figure as a metric of that indicator and refer to it "
     "in the text")},
    {NB_XLSX_NOT_WORKBOOK,
     N_("Open the file in Excel, WPS or Calc and save it as an Excel Workbook (.xlsx); check that it is the workbook meant, not a Word document or a zipped folder")},
    {NB_XLSX_MACROS,
     N_("Save the workbook as an Excel Workbook (.xlsx), without macros (文件 → 另存为 → Excel 工作簿)")},
    {NB_XLSX_EXTERNAL_LINK,
     N_("Copy the linked cells and paste them as values (选择性粘贴 → 数值), or break the links (数据 → 编辑链接 → 断开链接), then save")},
    {NB_XLSX_MALFORMED,
     N_("Open the workbook in Excel, WPS or Calc and save it again; a program that wrote it by hand should write plain SpreadsheetML without a DOCTYPE")},
    {NB_XLSX_CELL_ERROR,
     N_("Fix the formula of the cell the message names, or type the figure in it")},
    {NB_XLSX_FORMULA_NO_VALUE,
     N_("Open the workbook in Excel, WPS or Calc and save it, so that the formulas' values are stored; or type the figures")},
    {NB_XLSX_STRINGS_TOO_LARGE,
     N_("Check that this is the right workbook; raise the limit with --limit strings=SIZE if it is")},
    {NB_XLSX_SHEET_TOO_LARGE,
     N_("Check that this is the right workbook; raise the limit with --limit sheet=SIZE if it is")},
    {NB_XLSX_TOO_MANY_CELLS,
     N_("Delete what stands in the far columns of the row, or raise the limit with --limit cells=N")},
    {NB_XLSX_CELL_TOO_LARGE,
     N_("Split the text over several rows, or raise the limit with --limit cell=SIZE")},
    {NB_XLSX_NO_FORMS,
     N_("Rename the sheets to 基本信息, 正文 and 指标 (or meta, narrative, metrics); nianbao init --xlsx writes a blank workbook")},
    {NB_XLSX_SHEET_MISSING,
     N_("Add the sheet the message names, with its header row (nianbao init --xlsx writes a blank workbook to copy it from)")},
    {NB_XLSX_BAD_CELL,
     N_("Delete the character or retype the cell the message names, then save the workbook from Excel, WPS or Calc")},
    {NB_XLSX_SHEET_TWICE,
     N_("Keep one of the two sheets: delete or rename the other")},
    {NB_XLSX_WRITE,
     N_("Check that the folder of the output exists and is writable and that the disk has room, then run again")},
    {NB_XLSXWRITER_MISSING,
     N_("Add libxlsxwriter to the system (Debian: apt-get install libxlsxwriter4), then run again; other commands work without it")},
    {NB_TMPL_PICTURE_ARG,
     N_("Write the box as width,height with a unit, e.g. picture:60mm,40mm; give one side only (picture:5cm or picture:*,120pt) to keep the picture's proportions")},
    {NB_TMPL_PICTURE_PLACE,
     N_("Put picture last among the tag's filters (alt may follow it) and move the tag into the text of a paragraph, not a document property or an attribute")},
    {NB_DATA_PICTURE_PATH,
     N_("Move the picture into the data file's folder and give its path relative to it, or name the picture's folder with --allow-dir DIR")},
    {NB_DATA_PICTURE_FORMAT,
     N_("Save the picture again as PNG, JPEG or GIF (in a drawing program, Save As); check that the file is whole")},
    {NB_DATA_PICTURE_LIMIT,
     N_("Save the picture again smaller, or raise the limit with --limit picture=SIZE, pictures=SIZE or picture-side=PIXELS")},
    {NB_DATA_PICTURE_URI,
     N_("Write the URI as data:image/png;base64, then the file's bytes in base64, with no line breaks inside")},
    {NB_DATA_PICTURE_VALUE,
     N_("Give the picture as a path, a data URI, or an object {\"src\": …} with alt, width and height as its only other members")},
    {NB_TMPL_INCLUDE_SYNTAX,
     N_("Write {{> name}} with the name of a data value holding the path, or {{> \"annex.docx\"}} with a file beside the template, and nothing else in the tag")},
    {NB_TMPL_INCLUDE_PLACE,
     N_("Put the include tag in a paragraph of its own in the document's body, with no other text, outside tables, headers and text boxes")},
    {NB_INCLUDE_PATH,
     N_("Correct the path, or move the file into the folder it is relative to (the data file's or the template's), or name its folder with --allow-dir DIR")},
    {NB_INCLUDE_NOT_DOCX,
     N_("Open the file in Word or WPS and save it again as a Word document (.docx), without a password")},
    {NB_INCLUDE_EMPTY,
     N_("Check that the right file is named, or remove the include tag")},
    {NB_INCLUDE_OUTPUT,
     N_("Give the output another name with -o, or include another file")},
    {NB_INCLUDE_DROPPED,
     N_("Check the place in the output; paste the content left out (footnotes, comments, charts, objects) into the template if it is needed")},
    {NB_INCLUDE_LIMIT,
     N_("Split the included documents into smaller ones, or raise the limit with --limit include=SIZE")},
};

const char *nb_code_help(nb_code code)
{
    size_t i;

    for (i = 0; i < sizeof(help_table) / sizeof(help_table[0]); i++)
        if (help_table[i].code == code)
            return _(help_table[i].help);
    return NULL;
}
