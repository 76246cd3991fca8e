package samples

import "fmt"

// newsletter is mail no classifier should match.
func (b builder) newsletter() Sample {
	h := head{name: "newsletter", fromDomain: "boletin.example.org", from: "Boletín Pyme <noticias@boletin.example.org>",
		subject: wordQ("UTF-8", []byte("Novedades de la semana: facturación electrónica")), dkim: "boletin.example.org",
		contentType: `multipart/alternative; boundary="nl"`}
	body := `--nl
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Esta semana: la factura electr=C3=B3nica obligatoria, ayudas al comercio
y un webinar el jueves. Leer m=C3=A1s: https://boletin.example.org/n/214

--nl
Content-Type: text/html; charset=utf-8

<p>Esta semana: la factura electrónica obligatoria.</p><a href="https://boletin.example.org/n/214">Leer más</a>
<a href="https://boletin.example.org/baja">Darse de baja</a>
--nl--
`
	return Sample{Name: "newsletter", Kind: "", Raw: b.mail(h, body)}
}

// malformed has an outer boundary that never closes, an inner
// multipart whose boundary never appears, and a truncated base64 part.
func (b builder) malformed() Sample {
	h := head{name: "malformed", fromDomain: "example.net", from: "Ana <ana@example.net>",
		subject: "Fwd: fotos", contentType: `multipart/mixed; boundary="outer"`}
	body := fmt.Sprintf(`--outer
Content-Type: text/plain; charset=utf-8

Te reenvío las fotos de la reunión.

--outer
Content-Type: multipart/alternative; boundary="inner"

--innr
Content-Type: text/plain

never closed
--outer
Content-Type: image/jpeg; name="foto.jpg"
Content-Disposition: attachment; filename="foto.jpg"
Content-Transfer-Encoding: base64

/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP%s`, "!!!***")
	return Sample{Name: "malformed-mime", Kind: "", Raw: b.mail(h, body)}
}
