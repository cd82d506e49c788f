"""report-figures: figures from Chinese government work reports, with their provenance.

    from extract import extract_text, extract_file, to_dataframe
    figures = extract_text("今年1-9月，县域就诊率达84.11%。")
    df = to_dataframe(figures)
"""
from .batch import RunInterrupted, RunSummary, iter_documents, run
from .model import Document, Figure
from .outfiles import OutputError
from .output import to_dataframe
from .files import extract_file, process_file
from .pipeline import analyze, extract_text
from .reading import ReadError

__all__ = ["Figure", "Document", "OutputError", "ReadError", "RunInterrupted", "RunSummary", "analyze", "extract_file",
           "extract_text", "iter_documents", "process_file", "run", "to_dataframe"]
__version__ = "0.1.0"
