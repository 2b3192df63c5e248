//! Writes a deterministic corpus of realistic breach-notification letters about fictional
//! organizations, one file per letter, for benchmarks and scale tests.
//!
//! ```text
//! cargo run --release --example gen_notices -- OUT_DIR [--count N] [--mb MB] [--seed S] [--facts]
//! ```
//!
//! Letters are assembled from our own templates (headings, incident narratives, data-type
//! lists, hedges, disclosures, advice boilerplate) with a seeded PRNG: the same arguments
//! give byte-identical files. Generation stops at `--count` letters or `--mb` megabytes,
//! whichever comes first. Files go into subdirectories of 1,000 (`0000/`, `0001/`, …).
//! With `--facts`, about one letter in twelve gets a sidecar `NAME.facts.toml` saying its
//! organization was listed on a (fictional) leak site, and a few listings get no letter.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let (mut count, mut mb, mut seed, mut facts) = (usize::MAX, f64::INFINITY, 42u64, false);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| die(&format!("{a} needs a value")));
        match a.as_str() {
            "--count" => count = value().parse().unwrap_or_else(|_| die("--count: not a number")),
            "--mb" => mb = value().parse().unwrap_or_else(|_| die("--mb: not a number")),
            "--seed" => seed = value().parse().unwrap_or_else(|_| die("--seed: not a number")),
            "--facts" => facts = true,
            _ if out.is_none() && !a.starts_with('-') => out = Some(PathBuf::from(&a)),
            _ => die(&format!("unknown argument {a}")),
        }
    }
    let Some(out) = out else { die("usage: gen_notices OUT_DIR [--count N] [--mb MB] [--seed S] [--facts]") };
    if count == usize::MAX && mb.is_infinite() {
        count = 1000;
    }
    let limit = (mb * 1_000_000.0) as u64;
    let mut rng = Rng(seed ^ 0x9E37_79B9_7F4A_7C15);
    let (mut written, mut bytes) = (0usize, 0u64);
    while written < count && bytes < limit {
        let dir = out.join(format!("{:04}", written / 1000));
        if written % 1000 == 0 {
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| die(&format!("{}: {e}", dir.display())));
        }
        let org = Org::new(&mut rng);
        let name = format!("{}-{written:06}", org.slug);
        let letter = letter(&mut rng, &org);
        bytes += letter.len() as u64;
        write(&dir.join(format!("{name}.txt")), &letter);
        if facts && rng.below(12) == 0 {
            write(&dir.join(format!("{name}.facts.toml")), &facts_toml(&mut rng, &org, true));
        }
        if facts && rng.below(100) == 0 {
            let orphan = Org::new(&mut rng);
            write(&dir.join(format!("{}-{written:06}-listed.facts.toml", orphan.slug)), &facts_toml(&mut rng, &orphan, false));
        }
        written += 1;
    }
    eprintln!("gen_notices: {written} letters, {:.1} MB in {}", bytes as f64 / 1e6, out.display());
}

fn die(msg: &str) -> ! {
    eprintln!("gen_notices: {msg}");
    std::process::exit(2)
}

fn write(path: &std::path::Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| die(&format!("{}: {e}", path.display())));
}

/// SplitMix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const FIRST: &[&str] = &[
    "Harbor",
    "Maple",
    "Cedar",
    "Granite",
    "Silver",
    "Juniper",
    "Falcon",
    "Bright",
    "Willow",
    "Summit",
    "Lantern",
    "Copper",
    "Prairie",
    "Riverside",
    "Northwind",
    "Ashford",
    "Bramble",
    "Kestrel",
    "Orchard",
    "Tidewell",
    "Marigold",
    "Fairhaven",
];
const SECOND: &[&str] = &["Point", "Valley", "Ridge", "Creek", "Hollow", "Bay", "Grove", "Springs", "Crossing", "Hill", "Meadow", "Gate"];
const SECTORS: &[(&str, &str)] = &[
    ("Family Medicine", "patients"),
    ("Orthopaedic Associates", "patients"),
    ("Dental Group", "patients"),
    ("Behavioral Health", "clients"),
    ("Credit Union", "members"),
    ("School District", "students and staff"),
    ("Community College", "students"),
    ("Logistics", "employees"),
    ("Outfitters", "customers"),
    ("Water District", "customers"),
    ("Home Health", "patients"),
    ("Insurance Agency", "policyholders"),
    ("Law Group", "clients"),
    ("Payroll Services", "employees"),
];
const CITIES: &[&str] =
    &["Fallston, MD 21047", "Dayton, OH 45402", "Eugene, OR 97401", "Macon, GA 31201", "Billings, MT 59101", "Peoria, IL 61602"];
const MONTHS: &[&str] =
    &["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const LEAK_SITES: &[&str] = &["Pysa", "Hollow Sparrow", "Cobalt Lynx", "Ravenmark", "Gray Lantern"];

struct Org {
    name: String,
    short: String,
    slug: String,
    people: &'static str,
    health: bool,
}

impl Org {
    fn new(rng: &mut Rng) -> Org {
        let (first, second) = (rng.pick(FIRST), rng.pick(SECOND));
        let (sector, people) = SECTORS[rng.below(SECTORS.len())];
        let name = format!("{first} {second} {sector}");
        let slug = format!("{first}-{second}").to_ascii_lowercase();
        Org { short: format!("{first} {second}"), name, slug, people, health: people.contains("patients") || people == "clients" }
    }
}

/// A date in a year, as (month index, day, year).
fn date(rng: &mut Rng) -> (usize, usize, usize) {
    (rng.below(12), 1 + rng.below(28), 2019 + rng.below(5))
}

fn fmt_date((m, d, y): (usize, usize, usize)) -> String {
    format!("{} {d}, {y}", MONTHS[m])
}

fn later((m, d, y): (usize, usize, usize), months: usize) -> (usize, usize, usize) {
    let total = m + months;
    (total % 12, d, y + total / 12)
}

fn letter(rng: &mut Rng, org: &Org) -> String {
    let mut s = String::with_capacity(6000);
    let incident = date(rng);
    let discovered = later(incident, rng.below(2));
    let notice = later(discovered, 1 + rng.below(4));
    let headings = rng.chance(60);
    let h = |s: &mut String, title: &str| {
        if headings {
            let _ = writeln!(s, "\n{title}\n");
        } else {
            s.push('\n');
        }
    };

    let _ = writeln!(s, "{}\n{} {} Street\n{}\n", org.name, 100 + rng.below(9000), rng.pick(SECOND), rng.pick(CITIES));
    let _ = writeln!(s, "{}\n", fmt_date(notice));
    s.push_str(rng.pick(&[
        "<<FIRST NAME>> <<LAST NAME>>\n<<ADDRESS 1>>\n<<CITY>>, <<STATE>> <<ZIP>>\n\n",
        "[Recipient Name]\n[Address]\n\n",
        "",
    ]));
    if rng.chance(30) {
        s.push_str("Notice of Data Breach\n\n");
    }
    let _ =
        writeln!(s, "{}", rng.pick(&["Dear <<FIRST NAME>>:", "Dear Sir or Madam:", "Dear Valued Customer,", "Dear Parent or Guardian:"]));
    s.push('\n');
    let _ = writeln!(
        s,
        "{} is writing to inform you of a data security incident that may have involved some of your information. {}",
        org.name,
        rng.pick(&[
            "We take the privacy and security of your information very seriously, and we want you to know what happened and what we are doing about it.",
            "This letter explains what happened, what we have done in response, and the steps you can take to protect yourself.",
            "Out of an abundance of caution, we are providing you with information about the incident and about resources available to you.",
        ])
    );

    h(&mut s, "What Happened");
    narrative(rng, org, &mut s, incident, discovered);

    h(&mut s, "What Information Was Involved");
    information(rng, org, &mut s);

    h(&mut s, "What We Are Doing");
    let _ = write!(
        s,
        "{} ",
        rng.pick(&[
            "We moved quickly to secure our systems, reset passwords, and engaged a third-party forensic firm to assist with our investigation.",
            "We have implemented additional safeguards, including multi-factor authentication and enhanced endpoint monitoring, and we are reviewing our policies and procedures.",
            "We notified law enforcement and are cooperating with their investigation. We have also retrained our staff on recognizing suspicious emails.",
        ])
    );
    if rng.chance(55) {
        s.push_str(rng.pick(&[
            "At this time, we have no indication that any of your information has been misused. ",
            "We are not aware of any reports of identity theft or fraud resulting from this incident. ",
            "To date, we have no evidence that your information has been used to commit fraud. ",
        ]));
    }
    if rng.chance(70) {
        let _ = write!(
            s,
            "As a precaution, we are offering you {} months of complimentary credit monitoring and identity protection services through {} ID. To enroll, visit www.{}-enroll.com and use the activation code <<CODE>> by {}. ",
            [12, 18, 24][rng.below(3)],
            rng.pick(FIRST),
            org.slug,
            fmt_date(later(notice, 3))
        );
    }
    s.push('\n');

    h(&mut s, "What You Can Do");
    advice(rng, org, &mut s);

    h(&mut s, "For More Information");
    let _ = writeln!(
        s,
        "If you have questions, please call our dedicated assistance line at 1-8{}-555-{:04}, Monday through Friday, {} a.m. to {} p.m. Eastern Time, excluding major holidays. You may also write to us at {} {} Street, {}.",
        [55, 66, 77, 88][rng.below(4)],
        rng.below(10000),
        8 + rng.below(2),
        5 + rng.below(4),
        100 + rng.below(9000),
        rng.pick(SECOND),
        rng.pick(CITIES)
    );
    s.push('\n');
    s.push_str(rng.pick(&[
        "We sincerely regret any inconvenience or concern this incident may cause you.\n",
        "We apologize for this incident and remain committed to protecting your information.\n",
        "Protecting your information is important to us, and we regret that this occurred.\n",
    ]));
    let _ = writeln!(
        s,
        "\nSincerely,\n\n{} {}\n{}",
        rng.pick(&["Dana", "Morgan", "Alex", "Jordan", "Casey"]),
        rng.pick(&["Whitcomb", "Ellery", "Navarro", "Okafor", "Lindqvist"]),
        rng.pick(&["Privacy Officer", "Chief Executive Officer", "Practice Administrator", "General Counsel"])
    );
    if rng.chance(80) {
        reference(rng, &mut s);
    }
    s
}

fn narrative(rng: &mut Rng, org: &Org, s: &mut String, incident: (usize, usize, usize), discovered: (usize, usize, usize)) {
    let kind = rng.below(6);
    let found = fmt_date(discovered);
    match kind {
        0 | 1 => {
            let _ = write!(
                s,
                "On {found}, {} detected unusual activity on our network and learned that some of our systems had been encrypted{}. We immediately took our systems offline and began an investigation with the help of a cybersecurity firm. ",
                org.short,
                if rng.chance(60) { " by ransomware" } else { "" }
            );
            let _ = write!(
                s,
                "The investigation determined that an unauthorized actor gained access to our network between {} and {found}, and {} ",
                fmt_date(incident),
                rng.pick(&[
                    "copied certain files from our file server before deploying the ransomware.",
                    "may have removed some files containing personal information.",
                    "took a limited number of files from our systems.",
                    "accessed files that contained personal information, although we could not determine whether any files were viewed or taken.",
                ])
            );
            if rng.chance(40) {
                let _ = write!(s, "A criminal group calling itself {} later claimed responsibility for the attack. ", rng.pick(LEAK_SITES));
            }
            if rng.chance(25) {
                s.push_str(rng.pick(&[
                    "The group subsequently posted some of the stolen files on its leak site on the dark web. ",
                    "We have no evidence that any of the information has been published or offered for sale. ",
                    "Some of the files may have been posted online, and we are monitoring the situation. ",
                ]));
            }
            if rng.chance(40) {
                s.push_str("This was a highly sophisticated attack carried out by a criminal organization. ");
            }
        }
        2 => {
            let _ = write!(
                s,
                "On {found}, we learned that an employee email account had been accessed without authorization after the employee responded to a phishing email. The unauthorized access occurred on {}. We secured the account and a forensic firm reviewed the contents of the mailbox to identify the individuals whose information it contained. ",
                fmt_date(incident)
            );
        }
        3 => {
            let _ = write!(
                s,
                "On {found}, a laptop belonging to {} was stolen from an employee's vehicle. The laptop was password protected, and there is no evidence that any information on it was accessed. ",
                org.short
            );
        }
        4 => {
            let _ = write!(
                s,
                "On {found}, we discovered that malicious code had been inserted into the checkout page of our website. The code could have captured payment information entered by customers between {} and {found}. ",
                fmt_date(incident)
            );
        }
        _ => {
            let _ = write!(
                s,
                "On {found}, one of our vendors informed us that a misconfigured cloud storage location had allowed files to be viewed on the internet from {} until it was corrected. We do not know whether anyone other than the vendor accessed the files. ",
                fmt_date(incident)
            );
        }
    }
    s.push('\n');
}

const TYPE_PHRASES: &[(&str, bool)] = &[
    ("names", false),
    ("mailing addresses", false),
    ("email addresses", false),
    ("telephone numbers", false),
    ("dates of birth", false),
    ("Social Security numbers", false),
    ("driver's license numbers", false),
    ("passport numbers", false),
    ("financial account numbers", false),
    ("credit card numbers and expiration dates", false),
    ("usernames and passwords", false),
    ("medical record numbers", true),
    ("health insurance information", true),
    ("diagnosis and treatment information", true),
    ("dates of service", true),
    ("employee identification numbers", false),
    ("W-2 forms", false),
    ("student identification numbers", false),
    ("gender", false),
];

fn information(rng: &mut Rng, org: &Org, s: &mut String) {
    if rng.chance(8) {
        let _ = writeln!(s, "The affected files contained certain personal information relating to our {}.", org.people);
        return;
    }
    let mut chosen: Vec<&str> = Vec::new();
    let n = 2 + rng.below(6);
    while chosen.len() < n {
        let (phrase, health) = TYPE_PHRASES[rng.below(TYPE_PHRASES.len())];
        if (!health || org.health) && !chosen.contains(&phrase) {
            chosen.push(phrase);
        }
    }
    let list = match chosen.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}, and {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_owned(),
        None => String::new(),
    };
    let _ = write!(
        s,
        "{} {list}. ",
        rng.pick(&[
            "The information involved may have included your",
            "Our review determined that the files contained",
            "The affected information included",
            "The information that could have been accessed includes",
        ])
    );
    if rng.chance(35) {
        s.push_str(rng.pick(&[
            "Your Social Security number was not involved. ",
            "The files did not contain any bank account or payment card information. ",
            "No Social Security numbers or financial account numbers were affected. ",
        ]));
    }
    s.push('\n');
}

fn advice(rng: &mut Rng, org: &Org, s: &mut String) {
    let _ = writeln!(
        s,
        "We encourage you to remain vigilant against incidents of identity theft and fraud by reviewing your account statements and monitoring your free credit reports for suspicious activity. {}",
        if org.health {
            "We also recommend that you review the explanation of benefits statements you receive from your health insurer and report any services you did not receive."
        } else {
            "Never give your Social Security number or account passwords to anyone who contacts you unexpectedly by phone or email."
        }
    );
    if rng.chance(50) {
        s.push_str("\nPlease review the enclosed Steps You Can Take to Protect Your Information for further guidance.\n");
    }
}

fn reference(rng: &mut Rng, s: &mut String) {
    s.push_str("\nSteps You Can Take to Protect Your Information\n\n");
    s.push_str("Review Your Account Statements and Credit Reports. You are entitled to one free credit report every year from each of the three nationwide consumer reporting agencies. To order your free credit report, visit www.annualcreditreport.com or call toll-free 1-877-322-8228. Review your reports carefully and report any accounts you did not open or inquiries you did not authorize.\n\n");
    s.push_str("Fraud Alerts. You can place a fraud alert on your credit file at no cost. A fraud alert tells creditors to take additional steps to verify your identity before opening a new account. To place an alert, contact any one of the three credit bureaus: Equifax, P.O. Box 105069, Atlanta, GA 30348, 1-800-525-6285, www.equifax.com; Experian, P.O. Box 9554, Allen, TX 75013, 1-888-397-3742, www.experian.com; TransUnion, P.O. Box 2000, Chester, PA 19016, 1-800-680-7289, www.transunion.com.\n\n");
    s.push_str("Security Freeze. You have the right to place a security freeze on your credit report, which prohibits a credit bureau from releasing information in your credit report without your express authorization. To request a freeze, you may need to provide your full name, Social Security number, date of birth, current and previous addresses, and a copy of a government-issued identification card.\n\n");
    if rng.chance(60) {
        s.push_str("Federal Trade Commission. You can obtain information about fraud alerts, security freezes and identity theft from the Federal Trade Commission, 600 Pennsylvania Avenue NW, Washington, DC 20580, 1-877-438-4338, www.identitytheft.gov. You have the right to file a police report if you ever experience identity theft or fraud.\n\n");
    }
    if rng.chance(40) {
        s.push_str("For residents of New York: you may contact the New York Attorney General's Office, The Capitol, Albany, NY 12224, 1-800-771-7755, www.ag.ny.gov. For residents of North Carolina: you may contact the North Carolina Attorney General, 9001 Mail Service Center, Raleigh, NC 27699, 1-877-566-7226, www.ncdoj.gov.\n");
    }
}

fn facts_toml(rng: &mut Rng, org: &Org, with_notice: bool) -> String {
    let listed = date(rng);
    let mut s = format!(
        "entity = \"{}\"\nleak_site = \"{}\"\nlisted_on = {:04}-{:02}-{:02}\npublished = {}\n",
        org.name,
        rng.pick(LEAK_SITES),
        listed.2,
        listed.0 + 1,
        listed.1,
        !with_notice || rng.chance(80)
    );
    s.push_str(rng.pick(&[
        "dump_data_types = [\"name\", \"ssn\"]\n",
        "dump_data_types = [\"name\", \"date_of_birth\", \"medical_info\"]\n",
        "dump_data_types = [\"name\", \"employment_info\", \"financial_account\"]\n",
        "",
    ]));
    s
}
