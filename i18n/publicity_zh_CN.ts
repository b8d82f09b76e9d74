<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QueQuanPlugin</name>
    <message><source>Publicity</source><translation>公示</translation></message>
</context>
<context>
    <name>PublicityDock</name>
    <message><source> Skipped (conditions not met): {0}.</source><translation> 未满足公示条件而跳过：{0}。</translation></message>
    <message><source> {0} blocked units are skipped.</source><translation> {0} 个不满足公示条件的单位将跳过。</translation></message>
    <message><source>All</source><translation>全选</translation></message>
    <message><source>Cancel</source><translation>取消</translation></message>
    <message><source>Check conditions</source><translation>检查公示条件</translation></message>
    <message><source>Choose a database, at least one unit, one document and the output folder.</source><translation>请选择数据库、至少一个发包方单位、一种文件和输出目录。</translation></message>
    <message><source>Choose the township database…</source><translation>选择乡镇数据库…</translation></message>
    <message><source>Create documents</source><translation>生成公示文件</translation></message>
    <message><source>Creating documents for {0} units…</source><translation>正在为 {0} 个单位生成公示文件…</translation></message>
    <message><source>Database</source><translation>数据库</translation></message>
    <message><source>Documents and options</source><translation>文件与选项</translation></message>
    <message><source>None</source><translation>全不选</translation></message>
    <message><source>Override</source><translation>强制继续</translation></message>
    <message><source>Override…</source><translation>强制继续…</translation></message>
    <message><source>Publicity</source><translation>公示</translation></message>
    <message><source>The period ends before it starts.</source><translation>公示结束日期早于开始日期。</translation></message>
    <message><source>Township GeoPackage (*.gpkg)</source><translation>乡镇数据库 GeoPackage（*.gpkg）</translation></message>
    <message><source>Township database</source><translation>乡镇数据库</translation></message>
    <message><source>Use the database of the loaded DK layer</source><translation>使用已加载地块图层（DK）的数据库</translation></message>
    <message><source>Why may {0} be published anyway? (kept with your name and the time)</source><translation>为什么 {0} 仍可公示？（原因将与您的姓名和时间一起记录）</translation></message>
    <message><source>Withdraw override</source><translation>撤销强制继续</translation></message>
    <message><source>Records…</source><translation>公示记录…</translation></message>
    <message><source>Rounds and objections of the selected unit</source><translation>所选单位的公示轮次和异议</translation></message>
    <message><source>{0} files written to {1}.</source><translation>已生成 {0} 个文件，保存在 {1}。</translation></message>
    <message><source>{0} units in the database</source><translation>数据库中有 {0} 个发包方单位</translation></message>
</context>
<context>
    <name>PublicityOptions</name>
    <message><source>Choose the output folder…</source><translation>选择输出目录…</translation></message>
    <message><source>Documents</source><translation>文件</translation></message>
    <message><source>First round</source><translation>一轮公示</translation></message>
    <message><source>Made by</source><translation>制表/制图人</translation></message>
    <message><source>Map paper</source><translation>公示图纸张</translation></message>
    <message><source>Mask ID numbers on posted documents</source><translation>张贴文件隐藏身份证号中间位</translation></message>
    <message><source>One merged map PDF</source><translation>另生成合并的公示图 PDF</translation></message>
    <message><source>Open the folder when done</source><translation>完成后打开输出目录</translation></message>
    <message><source>Options</source><translation>选项</translation></message>
    <message><source>Output folder</source><translation>输出目录</translation></message>
    <message><source>PNG previews</source><translation>PNG 预览图</translation></message>
    <message><source>Period</source><translation>公示期</translation></message>
    <message><source>Reviewed by</source><translation>审核人</translation></message>
    <message><source>Round</source><translation>公示轮次</translation></message>
    <message><source>Second round</source><translation>二轮公示</translation></message>
    <message><source>Automatic</source><translation>自动</translation></message>
    <message><source>Orthophoto under the maps (optional)</source><translation>公示图底图正射影像（可选）</translation></message>
    <message><source>Choose a GeoTIFF…</source><translation>选择 GeoTIFF 影像…</translation></message>
    <message><source>Base image</source><translation>底图影像</translation></message>
    <message><source>Portrait</source><translation>纵向</translation></message>
    <message><source>Landscape</source><translation>横向</translation></message>
    <message><source>Publicity table (xlsx + pdf)</source><translation>调查信息公示表（xlsx + pdf）</translation></message>
    <message><source>Household result sheets</source><translation>公示结果归户表</translation></message>
    <message><source>Publicity notice</source><translation>公示公告</translation></message>
    <message><source>No-objection declarations</source><translation>公示无异议声明书</translation></message>
    <message><source>Publicity maps (pdf)</source><translation>公示图（地块分布图）</translation></message>
</context>
<context>
    <name>ObjectionForm</name>
    <message><source>Record an objection</source><translation>记录异议</translation></message>
    <message><source>Plot code (DKBM, 19 digits) or household code (CBFBM, 18 digits)</source><translation>地块编码（DKBM，19位）或承包方编码（CBFBM，18位）</translation></message>
    <message><source>Plot or household code</source><translation>地块或承包方编码</translation></message>
    <message><source>Objection</source><translation>异议内容</translation></message>
    <message><source>Raised by</source><translation>提出人</translation></message>
    <message><source>Received</source><translation>收到日期</translation></message>
</context>
<context>
    <name>PublicityStageDialog</name>
    <message><source>Publicity records of {0}</source><translation>{0} 的公示记录</translation></message>
    <message><source>Rounds</source><translation>公示轮次</translation></message>
    <message><source>Objections</source><translation>异议</translation></message>
    <message><source>Record objection…</source><translation>记录异议…</translation></message>
    <message><source>Resolve…</source><translation>处理异议…</translation></message>
    <message><source>Close round</source><translation>结束本轮公示</translation></message>
    <message><source>Fill publicity results…</source><translation>填写公示结果…</translation></message>
    <message><source>Resolve objection</source><translation>处理异议</translation></message>
    <message><source>How was the objection settled?</source><translation>异议如何处理？</translation></message>
    <message><source>Publicity results</source><translation>公示结果</translation></message>
    <message><source>Recorder and reviewer, one per line (written to CBF.GSJSR and GSSHR)</source><translation>公示记事人和公示审核人，每行一个（写入 CBF.GSJSR 和 GSSHR）</translation></message>
    <message><source>Publicity results written for {0} households.</source><translation>已为 {0} 户填写公示结果。</translation></message>
    <message><source>Round</source><translation>轮次</translation></message>
    <message><source>Start</source><translation>开始日期</translation></message>
    <message><source>End</source><translation>结束日期</translation></message>
    <message><source>Place</source><translation>公示地点</translation></message>
    <message><source>Status</source><translation>状态</translation></message>
    <message><source>Override reason</source><translation>强制继续原因</translation></message>
    <message><source>No.</source><translation>序号</translation></message>
    <message><source>Plot / household</source><translation>地块/承包方</translation></message>
    <message><source>Objection</source><translation>异议内容</translation></message>
    <message><source>Raised by</source><translation>提出人</translation></message>
    <message><source>Received</source><translation>收到日期</translation></message>
    <message><source>Resolution</source><translation>处理结果</translation></message>
    <message><source>Close</source><translation>关闭</translation></message>
</context>
<context>
    <name>PublicityUnitsModel</name>
    <message><source>Override: {0}</source><translation>已强制继续：{0}</translation></message>
    <message><source>Ready</source><translation>可以公示</translation></message>
    <message><source>Village-level unit</source><translation>村级发包方</translation></message>
    <message><source>Unit</source><translation>发包方单位</translation></message>
    <message><source>Plots</source><translation>地块数</translation></message>
    <message><source>Status</source><translation>公示条件</translation></message>
</context>
</TS>
