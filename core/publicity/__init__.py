"""Publicity (公示): the data behind the maps and tables, and publicity as a stage.

Qt-free. Rendering (xlsx, PDF, print layouts) lives in export/publicity/.
"""
