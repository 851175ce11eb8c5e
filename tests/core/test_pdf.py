import pytest

from apps.core.pdf import html_to_pdf


@pytest.mark.browser
def test_html_prints_to_a_pdf_with_arabic_text():
    pdf = html_to_pdf('<html dir="rtl" lang="ar"><body><h1>رسالة إحالة</h1></body></html>')
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1000
