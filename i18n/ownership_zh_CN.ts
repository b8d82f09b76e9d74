<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QueQuanPlugin</name>
    <message>
        <source>Plot ownership</source>
        <translation>地块权属</translation>
    </message>
</context>
<context>
    <name>OwnershipDock</name>
    <message>
        <source>Plot ownership</source>
        <translation>地块权属</translation>
    </message>
    <message>
        <source>Boundary disputes</source>
        <translation>界址争议</translation>
    </message>
    <message>
        <source>No township database</source>
        <translation>未选择乡镇数据库</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Search plot code or name, contractor, member or ID number</source>
        <translation>搜索地块代码或名称、承包方、成员或证件号码</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Township database</source>
        <translation>乡镇数据库</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <source>Plot</source>
        <translation>地块</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>承包方</translation>
    </message>
    <message>
        <source>Disputes</source>
        <translation>争议</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>DK plots</source>
        <translation>DK 地块</translation>
    </message>
    <message>
        <source>Assigning the plot code</source>
        <translation>正在分配地块代码</translation>
    </message>
    <message>
        <source>Recording the dispute</source>
        <translation>正在登记争议</translation>
    </message>
    <message>
        <source>Resolve dispute</source>
        <translation>解决争议</translation>
    </message>
    <message>
        <source>How was it settled?</source>
        <translation>如何解决（达成的协议）？</translation>
    </message>
    <message>
        <source>Creating the contractor</source>
        <translation>正在新建承包方</translation>
    </message>
    <message>
        <source>Set as head</source>
        <translation>设为户主</translation>
    </message>
    <message>
        <source>Choose the township database first</source>
        <translation>请先选择乡镇数据库</translation>
    </message>
    <message>
        <source>Another edit is still running</source>
        <translation>上一个修改尚未完成</translation>
    </message>
    <message>
        <source>Select coded plots on the map first</source>
        <translation>请先在地图上选择已编码的地块</translation>
    </message>
    <message>
        <source>Unassigning</source>
        <translation>正在取消承包</translation>
    </message>
    <message>
        <source>Save the edits of the DK layer first</source>
        <translation>请先保存 DK 图层的编辑</translation>
    </message>
    <message>
        <source>Select a coded plot first</source>
        <translation>请先选择一个已编码的地块</translation>
    </message>
    <message>
        <source>Select a dispute in the list</source>
        <translation>请在列表中选择一条争议</translation>
    </message>
    <message>
        <source>Resolving the dispute</source>
        <translation>正在记录争议解决</translation>
    </message>
    <message>
        <source>Adding the member</source>
        <translation>正在添加成员</translation>
    </message>
    <message>
        <source>Select a member in the list</source>
        <translation>请在列表中选择一名成员</translation>
    </message>
    <message>
        <source>Saving the member</source>
        <translation>正在保存成员</translation>
    </message>
    <message>
        <source>Removing the member</source>
        <translation>正在删除成员</translation>
    </message>
    <message>
        <source>Select a member who is not the head</source>
        <translation>请选择一名非户主成员</translation>
    </message>
    <message>
        <source>Changing the head</source>
        <translation>正在更换户主</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written</source>
        <translation>已取消，未写入任何修改</translation>
    </message>
    <message>
        <source>Reassigning {0} plot(s)</source>
        <translation>正在调整 {0} 个地块的承包方</translation>
    </message>
    <message>
        <source>Remove member {0}?</source>
        <translation>删除成员 {0}？</translation>
    </message>
    <message>
        <source>Relation of the former head to {0}</source>
        <translation>原户主与 {0} 的关系</translation>
    </message>
    <message>
        <source>Remove the contractor of {0}?</source>
        <translation>取消地块 {0} 的承包？</translation>
    </message>
</context>
<context>
    <name>ContractorPickerDialog</name>
    <message>
        <source>Choose the new contractor</source>
        <translation>选择新的承包方</translation>
    </message>
    <message>
        <source>Code, name, member or ID number</source>
        <translation>代码、名称、成员或证件号码</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员数</translation>
    </message>
    <message>
        <source>Contractors of {0}</source>
        <translation>发包方 {0} 的承包方</translation>
    </message>
</context>
<context>
    <name>NewContractorDialog</name>
    <message>
        <source>New contractor</source>
        <translation>新建承包方</translation>
    </message>
    <message>
        <source>Issuing party</source>
        <translation>发包方</translation>
    </message>
    <message>
        <source>Contractor type</source>
        <translation>承包方类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Contract way</source>
        <translation>承包方式</translation>
    </message>
    <message>
        <source>New code</source>
        <translation>新代码</translation>
    </message>
</context>
<context>
    <name>PlotCodeDialog</name>
    <message>
        <source>Assign plot code</source>
        <translation>分配地块代码</translation>
    </message>
    <message>
        <source>Issuing party</source>
        <translation>发包方</translation>
    </message>
    <message>
        <source>Plot name</source>
        <translation>地块名称</translation>
    </message>
    <message>
        <source>Plot category</source>
        <translation>地块类别</translation>
    </message>
    <message>
        <source>Land grade</source>
        <translation>地力等级</translation>
    </message>
    <message>
        <source>Land use</source>
        <translation>土地用途</translation>
    </message>
    <message>
        <source>Basic farmland</source>
        <translation>是否基本农田</translation>
    </message>
    <message>
        <source>Boundary pointer</source>
        <translation>指界人</translation>
    </message>
    <message>
        <source>Measured area</source>
        <translation>实测面积</translation>
    </message>
    <message>
        <source>New code</source>
        <translation>新代码</translation>
    </message>
    <message>
        <source>{0} m² ({1} mu)</source>
        <translation>{0} 平方米（{1} 亩）</translation>
    </message>
</context>
<context>
    <name>DisputeDialog</name>
    <message>
        <source>New boundary dispute</source>
        <translation>登记界址争议</translation>
    </message>
    <message>
        <source>e.g. XZDW:12 ditch, or free text</source>
        <translation>如 XZDW:12 水渠，或文字说明</translation>
    </message>
    <message>
        <source>Plot</source>
        <translation>地块</translation>
    </message>
    <message>
        <source>Other plot (code)</source>
        <translation>另一地块（代码）</translation>
    </message>
    <message>
        <source>Or neighbour feature</source>
        <translation>或相邻地物</translation>
    </message>
    <message>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>争议内容</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
</context>
<context>
    <name>MemberDialog</name>
    <message>
        <source>Household</source>
        <translation>承包方</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Relation to head</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>成员备注</translation>
    </message>
    <message>
        <source>Co-holder</source>
        <translation>共有人</translation>
    </message>
    <message>
        <source>Remark text</source>
        <translation>备注说明</translation>
    </message>
    <message>
        <source>Edit member</source>
        <translation>修改成员</translation>
    </message>
    <message>
        <source>Add member</source>
        <translation>添加成员</translation>
    </message>
</context>
<context>
    <name>PlotPanel</name>
    <message>
        <source>Plot</source>
        <translation>地块</translation>
    </message>
    <message>
        <source>Contractor and contract</source>
        <translation>承包方与合同</translation>
    </message>
    <message>
        <source>Reassign…</source>
        <translation>调整承包方…</translation>
    </message>
    <message>
        <source>Unassign</source>
        <translation>取消承包</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>查看承包方</translation>
    </message>
    <message>
        <source>Assign code…</source>
        <translation>分配代码…</translation>
    </message>
    <message>
        <source>Dispute…</source>
        <translation>登记争议…</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>地块类别</translation>
    </message>
    <message>
        <source>Measured area</source>
        <translation>实测面积</translation>
    </message>
    <message>
        <source>Neighbours</source>
        <translation>四至</translation>
    </message>
    <message>
        <source>Boundary pointer</source>
        <translation>指界人</translation>
    </message>
    <message>
        <source>Contractor</source>
        <translation>承包方</translation>
    </message>
    <message>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <source>Contract area</source>
        <translation>合同面积</translation>
    </message>
    <message>
        <source>Acquired by</source>
        <translation>取得方式</translation>
    </message>
    <message>
        <source>Register / certificate</source>
        <translation>登记 / 权证</translation>
    </message>
    <message>
        <source>{0} plot(s) selected on the map</source>
        <translation>地图上已选 {0} 个地块</translation>
    </message>
    <message>
        <source>(no contractor)</source>
        <translation>（无承包方）</translation>
    </message>
    <message>
        <source>(no code yet, fid {0})</source>
        <translation>（尚未编码，fid {0}）</translation>
    </message>
    <message>
        <source>{0} ({1}); {2} plots, total {3}</source>
        <translation>{0}（{1}）；{2} 块，总面积 {3}</translation>
    </message>
</context>
<context>
    <name>HouseholdPanel</name>
    <message>
        <source>Contractor</source>
        <translation>承包方</translation>
    </message>
    <message>
        <source>Add member…</source>
        <translation>添加成员…</translation>
    </message>
    <message>
        <source>Edit member…</source>
        <translation>修改成员…</translation>
    </message>
    <message>
        <source>Remove member</source>
        <translation>删除成员</translation>
    </message>
    <message>
        <source>Set as head…</source>
        <translation>设为户主…</translation>
    </message>
    <message>
        <source>New contractor…</source>
        <translation>新建承包方…</translation>
    </message>
    <message>
        <source>Zoom to plots</source>
        <translation>缩放到地块</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <source>Plots</source>
        <translation>承包地块</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>承包方类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <source>Register / certificate</source>
        <translation>登记 / 权证</translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>Co-holder</source>
        <translation>共有人</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>成员备注</translation>
    </message>
    <message>
        <source>Plot</source>
        <translation>地块代码</translation>
    </message>
    <message>
        <source>Plot name</source>
        <translation>地块名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>地块类别</translation>
    </message>
    <message>
        <source>Measured m²</source>
        <translation>实测(㎡)</translation>
    </message>
    <message>
        <source>Contract m²</source>
        <translation>合同(㎡)</translation>
    </message>
    <message>
        <source>Contract mu</source>
        <translation>合同(亩)</translation>
    </message>
    <message>
        <source>Acquired by</source>
        <translation>取得方式</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>{0} plots; contract {1}; measured {2}</source>
        <translation>{0} 块；合同面积 {1}；实测面积 {2}</translation>
    </message>
</context>
<context>
    <name>DisputePanel</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未解决</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>Show disputes on the map</source>
        <translation>在地图上显示争议</translation>
    </message>
    <message>
        <source>New dispute…</source>
        <translation>登记争议…</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>解决…</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Plot</source>
        <translation>地块</translation>
    </message>
    <message>
        <source>Other side</source>
        <translation>另一方</translation>
    </message>
    <message>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>争议内容</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>解决方式</translation>
    </message>
    <message>
        <source>Resolved by</source>
        <translation>解决人</translation>
    </message>
    <message>
        <source>Resolved on</source>
        <translation>解决日期</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <source>Current plot</source>
        <translation>当前地块</translation>
    </message>
    <message>
        <source>Current household</source>
        <translation>当前承包方</translation>
    </message>
    <message>
        <source>Whole database</source>
        <translation>全部记录</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
</context>
</TS>
