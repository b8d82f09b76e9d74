"""Outputs shared by every check algorithm: error layer, xlsx report, styled loading."""
from qgis.core import QgsProcessingContext, QgsProcessingLayerPostProcessorInterface

from ..export.error_layer import ERROR_LAYER_NAME, write_error_layer

_POSTPROCESSORS = []   # keep Python wrappers alive until QGIS has used them


class _StyleErrors(QgsProcessingLayerPostProcessorInterface):
    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        from ..ui.error_style import apply_error_style
        apply_error_style(layer)


def write_outputs(alg, parameters, context, feedback, result, epsg):
    """Write OUTPUT (and REPORT when asked); return the algorithm's result dict."""
    path = alg.parameterAsOutputLayer(parameters, "OUTPUT", context)
    path = write_error_layer(path, result.findings, epsg)
    report = None
    if "REPORT" in parameters and parameters.get("REPORT"):
        report = alg.parameterAsFileOutput(parameters, "REPORT", context)
        if report:
            from ..export.check_report import write_check_report
            write_check_report(report, result)
            feedback.pushInfo("自查报告：%s" % report)
    errors = sum(1 for f in result.findings if f.severity == "E")
    warnings = len(result.findings) - errors
    feedback.pushInfo("共发现 %d 个错误、%d 个警告；错误图层：%s" % (errors, warnings, path))
    for rule, reason in result.run.get("rules_skipped", {}).items():
        feedback.pushInfo("%s 跳过：%s" % (rule, reason))
    _load_styled(context, path)
    return {"OUTPUT": path, "REPORT": report, "ERRORS": errors, "WARNINGS": warnings}


def _load_styled(context, path):
    """Replace the plain output by one styled layer per geometry type."""
    if context.willLoadLayerOnCompletion(path):
        details = context.layerToLoadOnCompletionDetails(path)
        project = details.project
        layers = context.layersToLoadOnCompletion()
        layers.pop(path, None)
        context.setLayersToLoadOnCompletion(layers)
        for gtype, label in (("Polygon", "自查错误（面）"), ("Point", "自查错误（点）")):
            uri = "%s|layername=%s|geometrytype=%s" % (path, ERROR_LAYER_NAME, gtype)
            d = QgsProcessingContext.LayerDetails(label, project, "OUTPUT")
            post = _StyleErrors()
            _POSTPROCESSORS.append(post)
            d.setPostProcessor(post)
            context.addLayerToLoadOnCompletion(uri, d)
