<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QueQuanPlugin</name>
    <message><source>QueQuan toolbar</source><translation>确权助手工具栏</translation></message>
    <message><source>New township database…</source><translation>新建乡镇数据库…</translation></message>
    <message><source>Build demo township…</source><translation>生成演示乡镇…</translation></message>
    <message><source>Run self-check…</source><translation>数据自查…</translation></message>
    <message><source>Check results</source><translation>检查结果</translation></message>
    <message><source>Plot ownership</source><translation>地块权属</translation></message>
    <message><source>Publicity</source><translation>公示</translation></message>
    <message><source>Missing Python packages: {0}. Install them into the Python used by QGIS (OSGeo4W Shell: python -m pip install {0}).</source><translation>缺少 Python 依赖：{0}。请在 QGIS 使用的 Python 中安装（OSGeo4W Shell：python -m pip install {0}）。</translation></message>
</context>
<context>
    <name>DatabasePicker</name>
    <message><source>Database</source><translation>数据库</translation></message>
    <message><source>Township GeoPackage (*.gpkg)</source><translation>乡镇数据库（*.gpkg）</translation></message>
    <message><source>Choose the township database…</source><translation>选择乡镇数据库…</translation></message>
    <message><source>Use the database of the loaded DK layer</source><translation>使用已加载地块图层（DK）所在的数据库</translation></message>
    <message><source>Township database</source><translation>乡镇数据库</translation></message>
    <message><source>GeoPackage (*.gpkg)</source><translation>GeoPackage（*.gpkg）</translation></message>
</context>
</TS>
