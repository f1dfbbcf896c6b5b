# mkbooks.py OUTDIR: the workbooks tests/cli/xlsx.sh reads, written by
# python3-openpyxl (one writer; LibreOffice Calc's copies are kept
# unpacked beside this script), and the hostile ones, written by hand.
import datetime
import os
import sys
import zipfile

import openpyxl

out = sys.argv[1]


def forms(wb, meta_rows, narrative=True):
    ws = wb.active
    ws.title = "基本信息"
    ws.append(["项目", "内容"])
    for r in meta_rows:
        ws.append(r)
    if narrative:
        n = wb.create_sheet("正文")
        n.append(["部分", "方面", "事项", "类型", "版式", "编号", "要点", "内容"])
        for k in ["举措成效", "存在不足", "第一责任人", "下年安排"]:
            n.append([k, None, None, "段落", None, None, None,
                      "2022年" + k + "的内容。"])
    return wb.create_sheet("指标")


# ok: percent and date formats, full-width digits, grouped text, a
# skipped row, a formula with its value, the 1900 system
wb = openpyxl.Workbook()
m = forms(wb, [["发布机构", "常山县司法局"], ["年度", 2022],
               ["成文日期", datetime.date(2023, 2, 8)]])
wb["基本信息"]["B4"].number_format = "yyyy\"年\"m\"月\"d\"日\""
m.append(["指标代码", "指标名称", "数值", "单位", "备注"])
m.append(["fy_received", "行政复议收到申请", 93, "件"])
m.append(["fy_accepted", None, "９０", "件"])
# row 5 left empty: row numbers stay Excel's
for col, v in enumerate(["fy_correction_rate", None, 0.985, None, "纠错率"]):
    m.cell(row=6, column=col + 1, value=v)
m["C6"].number_format = "0.0%"
m.append(["ys_cases", None, "1,234", "件"])
wb.save(os.path.join(out, "ok-openpyxl.xlsx"))

# the same dates in the 1904 system: serial 43503 is 2023-02-08
wb = openpyxl.Workbook()
wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
m = forms(wb, [["发布机构", "常山县司法局"], ["年度", 2022],
               ["成文日期", datetime.date(2023, 2, 8)]])
wb["基本信息"]["B4"].number_format = "yyyy-mm-dd"
m.append(["指标代码", "数值"])
m.append(["fy_received", 93])
wb.save(os.path.join(out, "ok-1904.xlsx"))

# bad: an error value, a formula never computed, scientific text, a
# number with its unit, a rate over 100 (percent format), a date serial
# in a text column read as its date
wb = openpyxl.Workbook()
m = forms(wb, [["发布机构", "常山县司法局"], ["年度", 2022]])
m.append(["指标代码", "指标名称", "数值", "单位", "备注"])
m.append(["fy_received", None, "#DIV/0!", "件"])
m.append(["fy_accepted", None, "=1/0", "件"])
m.append(["fy_concluded", None, "1.2E+07", "件"])
m.append(["fy_changed", None, "12件", None])
m.append(["fy_correction_rate", None, 1.5, None])
m["C6"].number_format = "0%"
wb.save(os.path.join(out, "bad-openpyxl.xlsx"))

# one form: a bureau's metrics sheet
wb = openpyxl.Workbook()
m = wb.active
m.title = "指标"
m.append(["填报单位", "指标代码", "数值"])
m.append(["常山县司法局", "fy_received", 93])
m.append(["常山县司法局", "fy_accepted", "x"])
wb.save(os.path.join(out, "one-metrics.xlsx"))

# ==== hostile workbooks, by hand ====

CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
      'openxmlformats.org/package/2006/content-types"><Default Extension="xml"'
      ' ContentType="application/xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship'
        ' Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = ('xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
       'relationships"')
T = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'


def book(name, sheet_xml, sst=None, extra_rels="", extra_wb="", extra=()):
    wb = ('<?xml version="1.0" encoding="UTF-8"?><workbook %s %s><sheets>'
          '<sheet name="指标" sheetId="1" r:id="rId1"/></sheets>%s</workbook>'
          % (NS, RNS, extra_wb))
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
            '"http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="%sworksheet" Target="worksheets/'
            'sheet1.xml"/><Relationship Id="rId2" Type="%ssharedStrings" '
            'Target="sharedStrings.xml"/>%s</Relationships>' % (T, T, extra_rels))
    with zipfile.ZipFile(os.path.join(out, name), "w",
                         zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if sst is not None:
            z.writestr("xl/sharedStrings.xml", sst)
        for n, data in extra:
            z.writestr(n, data)


def sheet(rows, head="", prolog=""):
    return ('<?xml version="1.0" encoding="UTF-8"?>%s<worksheet %s>%s'
            '<sheetData>%s</sheetData></worksheet>' % (prolog, NS, head, rows))


HDR = ('<row r="1"><c r="A1" t="inlineStr"><is><t>指标代码</t></is></c>'
       '<c r="B1" t="inlineStr"><is><t>数值</t></is></c></row>')

# 10^6 shared strings (about 20 MB unpacked, 100 KB zipped)
book("hostile-sst.xlsx", sheet(HDR),
     '<sst %s>%s</sst>' % (NS, "<si><t>x</t></si>" * 1000000))
# a cell of 10^6 characters (3 MB in UTF-8)
book("hostile-cell.xlsx", sheet(HDR + '<row r="2"><c r="A2" t="inlineStr">'
                                '<is><t>%s</t></is></c></row>' % ("汉" * 1000000)))
# a value in column XFD, the 16,384th
book("hostile-columns.xlsx", sheet(HDR + '<row r="2"><c r="XFD2"><v>1</v>'
                                   '</c></row>'))
# a dimension of 10^6 x 16,384 claimed, two cells given
book("hostile-dimension.xlsx",
     sheet(HDR + '<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>'
           'fy_received</t></is></c><c r="B1000000"><v>93</v></c></row>',
           head='<dimension ref="A1:XFD1000000"/>'))
# billion laughs in the sheet's XML
lol = '<!DOCTYPE worksheet [<!ENTITY lol "lol">' + "".join(
    '<!ENTITY lol%d "%s">' % (i, ("&lol%s;" % (i - 1 if i > 1 else "")) * 10)
    for i in range(1, 10)) + ']>'
book("hostile-laughs.xlsx", sheet(HDR.replace("数值", "&lol9;"), prolog=lol))
# 100,000 attributes on one cell of a streamed sheet, and on the
# workbook part read whole
book("hostile-attrs.xlsx", sheet(HDR + '<row r="2"><c r="A2" %s/></row>'
                                 % " ".join('a%d="1"' % i
                                            for i in range(100000))))
book("hostile-attrs-wb.xlsx", sheet(HDR),
     extra_wb='<x %s/>' % " ".join('a%d="1"' % i for i in range(100000)))
# an external link
book("hostile-external.xlsx", sheet(HDR),
     extra_rels='<Relationship Id="rId3" Type="%sexternalLink" Target="'
     'externalLinks/externalLink1.xml"/>' % T,
     extra_wb='<externalReferences><externalReference r:id="rId3"/>'
     '</externalReferences>')
# a control character as Excel escapes it (_x0001_), a CR kept as a line
# break (_x000D_), a shared string that does not exist
book("bad-cells.xlsx",
     sheet(HDR + '<row r="2"><c r="A2" t="inlineStr"><is><t>fy_x0001_'
           '</t></is></c><c r="B2" t="s"><v>7</v></c></row>'),
     '<sst %s><si><t>x</t></si></sst>' % NS)
# macros: a VBA project
book("hostile-macros.xlsx", sheet(HDR), extra=[("xl/vbaProject.bin", b"VBA")])
# the same sheet twice: plainly, and with the markup other writers and
# hand edits use (a prefix for SpreadsheetML, comments, instructions,
# CDATA, entity and character references, styled blanks, whitespace);
# both must read the same cells
PLAIN = (HDR + '<row r="2"><c r="A2" t="inlineStr"><is><t>fy_received&amp;x'
         '</t></is></c><c r="B2" t="inlineStr"><is><t>93 件</t></is></c>'
         '</row><row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3">'
         '<v>1.5E+3</v></c></row><row r="4"><c r="A4" t="inlineStr"><is>'
         '<t>&lt;x&gt;一</t></is></c><c r="B4" t="e"><v>#DIV/0!</v></c>'
         '</row>')
book("markup-plain.xlsx", sheet(PLAIN),
     '<sst %s><si><t>ys_cases?</t></si></sst>' % NS)
XNS = NS.replace("xmlns=", "xmlns:x=")
book("markup-prefixed.xlsx",
     '<?xml version="1.0" encoding="UTF-8"?>\n<!-- written by hand -->\n'
     '<?mso-application progid="Excel.Sheet"?>\n<x:worksheet %s>\n'
     '<x:sheetData>\n' % XNS + HDR.replace("<", "<x:").replace("<x:/", "</x:")
     + '\n  <x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>fy_re<!-- -->'
     'ceived&#38;x</x:t></x:is></x:c><x:c r="B2" t="inlineStr"><x:is><x:r>'
     '<x:t>9<![CDATA[3]]></x:t></x:r><x:r><x:t xml:space="preserve"> &#x4EF6;'
     '</x:t></x:r></x:is></x:c></x:row>\n  <x:row r="3"><x:c r="A3" '
     "t='s'><x:v>0</x:v></x:c><x:c r=\"B3\" s=\"0\"><?pi x?><x:v>1.5E+3"
     '</x:v></x:c><x:c r="C3" s="0"/></x:row>\n  <x:row r="4"><x:c r="A4" '
     't="inlineStr"><x:is><x:t><![CDATA[<x>]]>&#19968;</x:t></x:is></x:c>'
     '<x:c r="B4" t="e"><x:v>#DIV/0!</x:v></x:c></x:row>\n</x:sheetData>'
     '</x:worksheet>',
     '<x:sst %s><x:si><x:r><x:t>ys_</x:t></x:r><x:r><x:t>cases&#63;</x:t>'
     '</x:r><x:rPh><x:t>y</x:t></x:rPh></x:si></x:sst>' % XNS)
# a DOCTYPE after a comment, before the root element
book("hostile-doctype-late.xlsx",
     sheet(HDR, prolog='<!-- a comment first --><!DOCTYPE worksheet>'))
