//! Writes small PDFs from scratch for the malformed-PDF tests and benchmark: objects, a
//! classic xref table, a trailer; and the hostile variants built on it.
#![allow(dead_code)]

/// A PDF of `objects` (number, body without `N 0 obj`/`endobj`), with an xref table and
/// `trailer` entries (besides `/Size`).
pub fn pdf(objects: &[(u32, Vec<u8>)], trailer: &str) -> Vec<u8> {
    let mut f = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (n, body) in objects {
        offsets.push((*n, f.len()));
        f.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        f.extend_from_slice(body);
        f.extend_from_slice(b"\nendobj\n");
    }
    let size = objects.iter().map(|(n, _)| n + 1).max().unwrap_or(1);
    let x = f.len();
    f.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    let by: std::collections::HashMap<u32, usize> = offsets.into_iter().collect();
    for n in 1..size {
        match by.get(&n) {
            Some(o) => f.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes()),
            None => f.extend_from_slice(b"0000000000 00000 f \n"),
        }
    }
    f.extend_from_slice(
        format!("trailer\n<< /Size {size} {trailer} >>\nstartxref\n{x}\n%%EOF\n").as_bytes(),
    );
    f
}

pub fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// A one-page document with an (empty) signature field.
pub fn minimal() -> Vec<u8> {
    pdf(
        &[
            (1, b("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>")),
            (2, b("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")),
            (3, b("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>")),
            (4, b("<< /FT /Sig /T (S) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 5 0 R >>")),
            (5, b("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] /Contents <3000> >>")),
        ],
        "/Root 1 0 R",
    )
}

/// `n` spaces, compressed, without holding them.
fn zlib_zeros(n: usize) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..n / chunk.len() {
        e.write_all(&chunk).unwrap();
    }
    e.finish().unwrap()
}

#[allow(dead_code)]
fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Appends an incremental update whose trailer has `/Prev prev`.
fn update(
    mut f: Vec<u8>,
    objects: &[(u32, Vec<u8>)],
    size: u32,
    prev: usize,
    extra: &str,
) -> Vec<u8> {
    let mut offs = Vec::new();
    for (n, body) in objects {
        offs.push((*n, f.len()));
        f.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        f.extend_from_slice(body);
        f.extend_from_slice(b"\nendobj\n");
    }
    let x = f.len();
    f.extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
    for (n, o) in offs {
        f.extend_from_slice(format!("{n} 1\n{o:010} 00000 n \n").as_bytes());
    }
    f.extend_from_slice(
        format!(
            "trailer\n<< /Size {size} /Root 1 0 R /Prev {prev} {extra} >>\nstartxref\n{x}\n%%EOF\n"
        )
        .as_bytes(),
    );
    f
}

/// `f` with the first `n` occurrences of `from` replaced by `to` (bytes, so offsets hold
/// when the lengths match).
pub fn replace(f: &[u8], from: &str, to: &str, n: usize) -> Vec<u8> {
    let (from, to) = (from.as_bytes(), to.as_bytes());
    let mut out = Vec::with_capacity(f.len());
    let (mut i, mut done) = (0, 0);
    while i < f.len() {
        if done < n && f[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
            done += 1;
        } else {
            out.push(f[i]);
            i += 1;
        }
    }
    out
}

fn last_startxref(f: &[u8]) -> usize {
    let s = String::from_utf8_lossy(f);
    let i = s.rfind("startxref").unwrap();
    s[i + 9..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The hostile set: (name, bytes).
#[allow(clippy::vec_init_then_push)]
pub fn malformed() -> Vec<(&'static str, Vec<u8>)> {
    let base = minimal();
    let mut out: Vec<(&'static str, Vec<u8>)> = Vec::new();
    out.push(("truncated-half", base[..base.len() / 2].to_vec()));
    out.push(("truncated-before-eof", base[..base.len() - 3].to_vec()));
    out.push(("empty", Vec::new()));
    out.push(("not-a-pdf", b"GIF89a not a pdf %%EOF".to_vec()));
    // /Prev loop: two updates pointing at each other.
    {
        let x0 = last_startxref(&base);
        let f = update(base.clone(), &[(6, b("1"))], 7, x0, "");
        let x1 = last_startxref(&f);
        let g = update(f, &[(7, b("2"))], 8, x1, "");
        let x2 = last_startxref(&g);
        // Rewrite the first update's /Prev to the second (same width, so offsets hold).
        assert_eq!(x0.to_string().len(), x2.to_string().len());
        out.push((
            "prev-loop",
            replace(&g, &format!("/Prev {x0} "), &format!("/Prev {x2} "), 1),
        ));
        let h = update(base.clone(), &[], 6, x0, "");
        let xh = last_startxref(&h);
        assert_eq!(x0.to_string().len(), xh.to_string().len());
        out.push((
            "prev-self",
            replace(&h, &format!("/Prev {x0} "), &format!("/Prev {xh} "), 1),
        ));
    }
    // Deep nesting: arrays and dictionaries 100 000 deep in the catalog.
    let deep = format!(
        "<< /Type /Catalog /Pages 2 0 R /X {}1{} >>",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    out.push((
        "deep-arrays",
        pdf(
            &[
                (1, b(&deep)),
                (2, b("<< /Type /Pages /Kids [] /Count 0 >>")),
            ],
            "/Root 1 0 R",
        ),
    ));
    let deep_d = format!(
        "<< /Type /Catalog /Pages 2 0 R /X {}1{} >>",
        "<< /A ".repeat(50_000),
        " >>".repeat(50_000)
    );
    out.push((
        "deep-dicts",
        pdf(
            &[
                (1, b(&deep_d)),
                (2, b("<< /Type /Pages /Kids [] /Count 0 >>")),
            ],
            "/Root 1 0 R",
        ),
    ));
    // Decompression bomb: an object stream holding the AcroForm, 64 MiB of spaces inflated.
    {
        let bomb = zlib_zeros(64 << 20);
        let mut objstm = format!(
            "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
            bomb.len()
        )
        .into_bytes();
        objstm.extend_from_slice(&bomb);
        objstm.extend_from_slice(b"\nendstream");
        out.push(("flate-bomb-objstm", bomb_file(objstm)));
        let mut big = format!(
            "<< /Type /XRef /Size 3 /W [1 2 1] /Filter /FlateDecode /Length {} >>\nstream\n",
            bomb.len()
        )
        .into_bytes();
        big.extend_from_slice(&bomb);
        big.extend_from_slice(b"\nendstream");
        out.push(("flate-bomb-xref-stream", xref_stream_file(big)));
    }
    // 10^5 objects in the cross-reference table, one page.
    {
        let mut objs = vec![
            (1, b("<< /Type /Catalog /Pages 2 0 R >>")),
            (2, b("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")),
            (
                3,
                b("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"),
            ),
        ];
        for i in 10..100_010u32 {
            objs.push((i, b(&format!("<< /N {i} >>"))));
        }
        out.push(("objects-1e5", pdf(&objs, "/Root 1 0 R")));
    }
    // 10^5 form fields.
    {
        let n = 100_000u32;
        let mut objs = vec![
            (1, b("<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>")),
            (2, b("<< /Type /Pages /Kids [] /Count 0 >>")),
        ];
        let fields: String = (10..10 + n).map(|i| format!("{i} 0 R ")).collect();
        objs.push((3, b(&format!("<< /Fields [{fields}] >>"))));
        for i in 10..10 + n {
            objs.push((i, b(&format!("<< /FT /Tx /T (f{i}) >>"))));
        }
        out.push(("fields-1e5", pdf(&objs, "/Root 1 0 R")));
    }
    // Offsets outside the file.
    out.push((
        "xref-entry-outside",
        replace(&base, "0000000015 00000 n", "9999999999 00000 n", 1),
    ));
    {
        let x = last_startxref(&base);
        let sx = format!("startxref\n{x}\n");
        out.push((
            "startxref-outside",
            replace(&base, &sx, "startxref\n99999999\n", 1),
        ));
        out.push((
            "startxref-negative",
            replace(&base, &sx, "startxref\n-5\n", 1),
        ));
        out.push((
            "startxref-into-object",
            replace(&base, &sx, "startxref\n15\n", 1),
        ));
        out.push((
            "startxref-huge",
            replace(&base, &sx, "startxref\n99999999999999999999999\n", 1),
        ));
    }
    // A stream whose /Length is itself.
    out.push((
        "length-self",
        pdf(
            &[
                (1, b("<< /Type /Catalog /Pages 2 0 R >>")),
                (2, b("<< /Length 2 0 R >>\nstream\nabc\nendstream")),
            ],
            "/Root 1 0 R",
        ),
    ));
    // An object stream that lists itself.
    out.push(("objstm-self", objstm_self()));
    // Field tree and page tree loops.
    out.push((
        "field-kids-loop",
        pdf(
            &[
                (
                    1,
                    b("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [3 0 R] >> >>"),
                ),
                (2, b("<< /Type /Pages /Kids [] /Count 0 >>")),
                (3, b("<< /T (a) /Kids [4 0 R] >>")),
                (4, b("<< /T (b) /FT /Sig /Kids [3 0 R] >>")),
            ],
            "/Root 1 0 R",
        ),
    ));
    out.push((
        "page-tree-loop",
        pdf(
            &[
                (1, b("<< /Type /Catalog /Pages 2 0 R >>")),
                (2, b("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")),
                (3, b("<< /Type /Pages /Kids [2 0 R] /Count 1 >>")),
            ],
            "/Root 1 0 R",
        ),
    ));
    // A signature with absurd /ByteRange values and a /Contents of the wrong type.
    out.push(("byterange-absurd", pdf(&[
        (1, b("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [3 0 R] >> >>")),
        (2, b("<< /Type /Pages /Kids [] /Count 0 >>")),
        (3, b("<< /FT /Sig /T (s) /V << /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 9223372036854775807 -1 9223372036854775807] /Contents 5 >> >>")),
    ], "/Root 1 0 R")));
    // A long /Prev chain of empty updates (more than Limits::max_pdf_revisions).
    {
        let mut f = base.clone();
        for _ in 0..1100 {
            let x = last_startxref(&f);
            f = update(f, &[], 6, x, "");
        }
        out.push(("revisions-1100", f));
    }
    // Every update redefines the catalog: many revisions to compare for the signature.
    {
        let mut f = base.clone();
        for _ in 0..200 {
            let x = last_startxref(&f);
            f = update(
                f,
                &[(
                    1,
                    b("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> /Foo 1 >>"),
                )],
                6,
                x,
                "",
            );
        }
        out.push(("updates-200", f));
    }
    out
}

/// A file whose catalog's AcroForm (object 5) lives in object stream 4 = `objstm`.
fn bomb_file(objstm: Vec<u8>) -> Vec<u8> {
    let mut f = b"%PDF-1.7\n".to_vec();
    let o1 = f.len();
    f.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>\nendobj\n");
    let o2 = f.len();
    f.extend_from_slice(b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
    let o4 = f.len();
    f.extend_from_slice(b"4 0 obj\n");
    f.extend_from_slice(&objstm);
    f.extend_from_slice(b"\nendobj\n");
    // An xref stream: W [1 4 2], objects 0..6.
    let rows: Vec<[u8; 7]> = vec![
        [0, 0, 0, 0, 0, 0xff, 0xff],
        row(1, o1 as u32, 0),
        row(1, o2 as u32, 0),
        [0, 0, 0, 0, 0, 0, 0],
        row(1, o4 as u32, 0),
        row(2, 4, 0),
    ];
    let data: Vec<u8> = rows.concat();
    let x = f.len();
    f.extend_from_slice(format!("6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Index [0 6] /Root 1 0 R /Length {} >>\nstream\n", data.len()).as_bytes());
    f.extend_from_slice(&data);
    f.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{x}\n%%EOF\n").as_bytes());
    f
}

fn row(t: u8, a: u32, b: u16) -> [u8; 7] {
    let a = a.to_be_bytes();
    let b = b.to_be_bytes();
    [t, a[0], a[1], a[2], a[3], b[0], b[1]]
}

/// A file whose only cross-reference section is the stream `xs` (object 1).
fn xref_stream_file(xs: Vec<u8>) -> Vec<u8> {
    let mut f = b"%PDF-1.7\n".to_vec();
    let x = f.len();
    f.extend_from_slice(b"1 0 obj\n");
    f.extend_from_slice(&xs);
    f.extend_from_slice(format!("\nendobj\nstartxref\n{x}\n%%EOF\n").as_bytes());
    f
}

fn objstm_self() -> Vec<u8> {
    let body = b"3 0 ";
    let objstm = format!(
        "<< /Type /ObjStm /N 1 /First 4 /Length {} >>\nstream\n{}\nendstream",
        body.len() + 4,
        String::from_utf8_lossy(body)
    ) + "";
    let mut f = b"%PDF-1.7\n".to_vec();
    let o1 = f.len();
    f.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 3 0 R >>\nendobj\n");
    let o4 = f.len();
    f.extend_from_slice(b"4 0 obj\n");
    f.extend_from_slice(objstm.as_bytes());
    f.extend_from_slice(b"\nendobj\n");
    // Object 3 in stream 5, object 5 in stream 3: neither is in the file.
    let rows: Vec<[u8; 7]> = vec![
        [0, 0, 0, 0, 0, 0xff, 0xff],
        row(1, o1 as u32, 0),
        [0; 7],
        row(2, 5, 0),
        row(1, o4 as u32, 0),
        row(2, 3, 0),
    ];
    let data: Vec<u8> = rows.concat();
    let x = f.len();
    f.extend_from_slice(format!("6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Index [0 6] /Root 1 0 R /Length {} >>\nstream\n", data.len()).as_bytes());
    f.extend_from_slice(&data);
    f.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{x}\n%%EOF\n").as_bytes());
    f
}
