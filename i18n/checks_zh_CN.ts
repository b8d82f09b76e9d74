<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QueQuanPlugin</name>
    <message><source>Check results</source><translation>检查结果</translation></message>
</context>
<context>
    <name>ChecksDock</name>
    <message><source>Check results</source><translation>检查结果</translation></message>
    <message><source>Database</source><translation>数据库</translation></message>
    <message><source>Township GeoPackage (*.gpkg)</source><translation>乡镇数据库（*.gpkg）</translation></message>
    <message><source>Choose the township database…</source><translation>选择乡镇数据库…</translation></message>
    <message><source>Use the database of the loaded DK layer</source><translation>使用已加载地块图层（DK）所在的数据库</translation></message>
    <message><source>Read the stored errors again</source><translation>重新读取已保存的检查结果</translation></message>
    <message><source>Reason: {0} ({1}, {2})</source><translation>理由：{0}（{1}，{2}）</translation></message>
    <message><source>Township database</source><translation>乡镇数据库</translation></message>
    <message><source>Checking…</source><translation>正在检查…</translation></message>
    <message><source>Re-check</source><translation>复查</translation></message>
    <message><source>Export list</source><translation>导出清单</translation></message>
    <message><source>{0} plots</source><translation>{0} 个地块</translation></message>
    <message><source>Showing {0} / {1} in total; {2} errors, {3} warnings</source><translation>显示 {0} / 共 {1} 条；错误 {2}，警告 {3}</translation></message>
    <message><source>{0} records exported to {1}</source><translation>已导出 {0} 条记录到 {1}</translation></message>
    <message><source>Latest run: {0}, scope {1}.</source><translation>最近一次检查：{0}，范围 {1}。</translation></message>
</context>
<context>
    <name>CheckAcceptDialog</name>
    <message><source>Accept error</source><translation>接受错误</translation></message>
    <message><source>e.g. boundary dispute settled on site on 2024-05-10; scattered plot (插花地) confirmed by the village</source><translation>例如：2024-05-10 现场调解界址纠纷；村委会确认为插花地</translation></message>
    <message><source>Reason (required)</source><translation>理由（必填）</translation></message>
    <message><source>Reviewer</source><translation>审核人</translation></message>
</context>
<context>
    <name>CheckErrorLayers</name>
    <message><source>Self-check results</source><translation>自查结果</translation></message>
    <message><source>Errors (polygons)</source><translation>自查错误（面）</translation></message>
    <message><source>Errors (points)</source><translation>自查错误（点）</translation></message>
</context>
<context>
    <name>CheckFilterBar</name>
    <message><source>All severities</source><translation>全部级别</translation></message>
    <message><source>Errors</source><translation>错误</translation></message>
    <message><source>Warnings</source><translation>警告</translation></message>
    <message><source>Only in map extent</source><translation>仅当前地图范围</translation></message>
    <message><source>Search code, name or description</source><translation>搜索编码、名称或问题描述</translation></message>
    <message><source>All rules</source><translation>全部规则</translation></message>
    <message><source>All villages</source><translation>全部村</translation></message>
    <message><source>All groups</source><translation>全部组</translation></message>
    <message><source>Rule</source><translation>规则</translation></message>
    <message><source>Severity</source><translation>级别</translation></message>
    <message><source>Village</source><translation>村</translation></message>
    <message><source>Group</source><translation>组</translation></message>
    <message><source>State</source><translation>状态</translation></message>
    <message><source>Open</source><translation>未处理</translation></message>
    <message><source>Open and accepted</source><translation>未处理和已接受</translation></message>
    <message><source>Accepted</source><translation>已接受</translation></message>
    <message><source>Fixed</source><translation>已修正</translation></message>
    <message><source>All states</source><translation>全部状态</translation></message>
</context>
<context>
    <name>CheckRuleTree</name>
    <message><source>Not implemented yet</source><translation>尚未实现</translation></message>
    <message><source>Structure</source><translation>结构</translation></message>
    <message><source>Geometry and topology</source><translation>图形与拓扑</translation></message>
    <message><source>Attributes and codes</source><translation>属性与编码</translation></message>
    <message><source>Cross-table</source><translation>表间关系</translation></message>
    <message><source>Areas</source><translation>面积</translation></message>
    <message><source>Completeness</source><translation>完整性</translation></message>
</context>
<context>
    <name>CheckRunPanel</name>
    <message><source>Run self-check</source><translation>运行数据自查</translation></message>
    <message><source>Run check</source><translation>开始检查</translation></message>
    <message><source>Cancel</source><translation>取消</translation></message>
    <message><source>Re-check edited plots when edits are saved</source><translation>保存编辑后自动复查修改过的地块</translation></message>
    <message><source>A check is already running.</source><translation>已有检查正在运行。</translation></message>
    <message><source>Choose the township database first.</source><translation>请先选择乡镇数据库。</translation></message>
    <message><source>Choose at least one rule.</source><translation>请至少选择一条规则。</translation></message>
    <message><source>Self-check</source><translation>数据自查</translation></message>
    <message><source>Re-check edited plots</source><translation>复查修改过的地块</translation></message>
    <message><source>Scope</source><translation>范围</translation></message>
    <message><source>Choose a village or group.</source><translation>请选择村或组。</translation></message>
    <message><source>Check cancelled; nothing was stored.</source><translation>检查已取消，未保存任何结果。</translation></message>
    <message><source>Select plots in the DK layer first.</source><translation>请先在地块图层（DK）中选择地块。</translation></message>
    <message><source>Check finished: {0} errors, {1} warnings found.</source><translation>检查完成：发现错误 {0} 个，警告 {1} 个。</translation></message>
    <message><source>Check failed: {0}</source><translation>检查失败：{0}</translation></message>
    <message><source>Whole township</source><translation>全镇</translation></message>
    <message><source>One village or group</source><translation>指定村或组</translation></message>
    <message><source>Groups of the selected plots</source><translation>所选地块所在的组</translation></message>
    <message><source>Groups in the map extent</source><translation>当前地图范围内的组</translation></message>
</context>
<context>
    <name>CheckResultsModel</name>
    <message><source>Rule</source><translation>规则</translation></message>
    <message><source>Severity</source><translation>级别</translation></message>
    <message><source>State</source><translation>状态</translation></message>
    <message><source>Code</source><translation>编码</translation></message>
    <message><source>Description</source><translation>问题描述</translation></message>
    <message><source>Village</source><translation>村</translation></message>
    <message><source>Group</source><translation>组</translation></message>
    <message><source>Related codes</source><translation>相关编码</translation></message>
    <message><source>Note</source><translation>说明</translation></message>
    <message><source>Last found</source><translation>最近发现</translation></message>
</context>
<context>
    <name>CheckActionBar</name>
    <message><source>Previous</source><translation>上一条</translation></message>
    <message><source>Previous error</source><translation>上一条错误</translation></message>
    <message><source>Next</source><translation>下一条</translation></message>
    <message><source>Next error</source><translation>下一条错误</translation></message>
    <message><source>Mark fixed</source><translation>复查修正</translation></message>
    <message><source>Re-check the objects of this error; it is marked fixed when it is no longer found</source><translation>重新检查该错误涉及的对象；不再发现时标记为已修正</translation></message>
    <message><source>Accept…</source><translation>接受…</translation></message>
    <message><source>Accept this error with a reason</source><translation>填写理由后接受该错误</translation></message>
    <message><source>Withdraw</source><translation>撤回接受</translation></message>
    <message><source>Withdraw the acceptance: the error is open again</source><translation>撤回接受理由，错误恢复为未处理</translation></message>
    <message><source>Show on map</source><translation>在地图上显示</translation></message>
    <message><source>Show the errors as a styled layer group</source><translation>以“自查结果”图层组在地图上显示错误</translation></message>
    <message><source>Export list…</source><translation>导出清单…</translation></message>
    <message><source>Export the filtered list to Excel</source><translation>将筛选后的清单导出为 Excel</translation></message>
    <message><source>{0} cannot be accepted (S01, S02, T01 and T02 must be fixed in the data)</source><translation>{0} 不能接受（S01、S02、T01、T02 必须在数据中修正）</translation></message>
</context>
</TS>
