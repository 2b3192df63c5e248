"""End-to-end test of `noticelint serve` in real headless Chromium (Debian's chromium and
chromedriver, driven by selenium; `scripts/install-browser` installs them, `scripts/e2e`
runs this). Starts the server on a free loopback port and works the page as an editor
would. The notices are invented.

Usage: page.py --bin target/debug/noticelint --out DIR
"""

import argparse
import base64
import io
import os
import subprocess
import sys
import tempfile
import zipfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

DRAFT = """Notice of Data Breach

What Happened
On March 3, 2024, Harbor Valley Clinic discovered that an unauthorized party had accessed our network. The investigation found that the party copied files from a file server between February 25 and March 2, 2024.

What Information Was Involved
The files contained names, dates of birth and Social Security numbers. Payment card numbers were not involved.

What We Are Doing
We take the privacy of your information very seriously. We have no indication that any of your information has been misused. Out of an abundance of caution, we are offering 24 months of credit monitoring.

What You Can Do
Review your account statements and place a fraud alert with the credit bureaus.

For More Information
Call our help line at 1-800-555-0100, Monday to Friday.
"""

DOCX_PARAGRAPHS = [
    "Lakeside Dental Group is writing to tell you about an incident.",
    "On May 9 we found that ransomware had encrypted some of our systems.",
    "The affected files may have included driver's license numbers and health insurance information.",
    "We are not aware of any misuse of your information.",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    server = subprocess.Popen([args.bin, "serve", "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        url = line.split("http://")[1].split()[0]
        run(f"http://{url}", args.out)
    finally:
        server.terminate()
        server.wait(timeout=10)


def run(url, out):
    with tempfile.TemporaryDirectory(prefix="noticelint-e2e-") as profile_dir:
        opts = webdriver.ChromeOptions()
        opts.binary_location = "/usr/bin/chromium"
        for flag in [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile_dir}", "--window-size=1400,1500",
        ]:
            opts.add_argument(flag)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=opts, service=Service(executable_path="/usr/bin/chromedriver"))
        try:
            steps(driver, url, out)
        finally:
            driver.quit()


def steps(driver, url, out):
    wait = WebDriverWait(driver, 20)
    driver.get(url)
    wait.until(lambda d: d.find_element(By.ID, "status").text.startswith("Ready"))

    # 1. Paste a draft: the reassurance is highlighted as a hedge, with its rule.
    text = driver.find_element(By.ID, "text")
    text.send_keys(DRAFT)
    hedge = wait.until(lambda d: find_mark(d, "k-hedge", "no indication"))
    assert "misused" in hedge.text, hedge.text
    assert "hedge.no-evidence-misuse" in hedge.get_attribute("title"), hedge.get_attribute("title")
    hedge.click()
    assert "no evidence of misuse" in driver.find_element(By.ID, "detail").text
    ssn = find_mark(driver, "k-data", "Social Security numbers")
    assert ssn is not None and "s-affirmed" in ssn.get_attribute("class")
    card = find_mark(driver, "k-data", "Payment card")
    assert card is not None and "s-negated" in card.get_attribute("class"), "negated data types are shown as such"
    print("ok: hedge highlighted; data types by status")

    # 2. Facts: the data was published on a leak site.
    Select(driver.find_element(By.ID, "published")).select_by_value("true")
    driver.find_element(By.ID, "leak_site").send_keys("Pysa")
    flags = wait.until(lambda d: flag_ids(d) if {"omits-public-dump", "reassurance-despite-dump"} <= set(flag_ids(d)) else None)
    first = driver.find_element(By.CSS_SELECTOR, "#flags li")
    assert "sev-error" in first.get_attribute("class"), "errors first"
    assert "Pysa" in driver.find_element(By.CSS_SELECTOR, '#flags li[data-flag="omits-public-dump"]').text
    wait.until(lambda d: "flagged" in find_mark(d, "k-hedge", "no indication").get_attribute("class"))
    print("ok: flags", flags)

    # 3. The profile's checklist and the readability figures.
    Select(driver.find_element(By.ID, "profile")).select_by_value("hipaa")
    wait.until(lambda d: "the date of discovery (A)" in d.find_element(By.ID, "checklist").text)
    assert "grade" in driver.find_element(By.ID, "metrics").text
    assert driver.execute_script("return state.report.schema") == "noticelint.report/1"
    assert driver.find_element(By.ID, "download").is_enabled()
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(os.path.join(out, "page.png"))
    print("ok: checklist, metrics; screenshot", os.path.join(out, "page.png"))

    # 4. Drop a .docx on the editor: its text and findings replace the draft's.
    data = base64.b64encode(docx(DOCX_PARAGRAPHS)).decode()
    driver.execute_script(
        """
        const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
        const file = new File([bytes], "lakeside.docx", {type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"});
        const dt = new DataTransfer();
        dt.items.add(file);
        document.getElementById("text").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
        """,
        data,
    )
    wait.until(lambda d: "lakeside.docx" in d.find_element(By.ID, "source").text)
    assert "docx" in driver.find_element(By.ID, "source").text
    license_ = wait.until(lambda d: find_mark(d, "k-data", "driver's license"))
    assert "s-possible" in license_.get_attribute("class"), license_.get_attribute("class")
    assert find_mark(driver, "k-disclosure", "ransomware") is not None
    assert driver.find_element(By.ID, "text").get_attribute("value").startswith("Lakeside Dental Group")
    fmt = driver.execute_script("return state.report.document.format + ' ' + document.getElementById('status').textContent")
    assert fmt.startswith("docx"), fmt
    driver.save_screenshot(os.path.join(out, "docx.png"))
    print("ok: dropped .docx; findings", [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#annotated mark")])

    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe
    print("ok: no browser errors")


def find_mark(driver, kind, words):
    for m in driver.find_elements(By.CSS_SELECTOR, f"#annotated mark.{kind}"):
        if words.lower() in m.text.lower():
            return m
    return None


def flag_ids(driver):
    return [li.get_attribute("data-flag") for li in driver.find_elements(By.CSS_SELECTOR, "#flags li[data-flag]")]


def docx(paragraphs):
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{p.replace("&", "&amp;").replace("<", "&lt;")}</w:t></w:r></w:p>' for p in paragraphs)
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print("e2e: FAILED:", e, file=sys.stderr)
        raise
