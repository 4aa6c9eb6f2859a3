using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace UpdateAgent.Trust.Keyless;

/// <summary>
/// The identity a Fulcio-style certificate states: subject alternative names, OIDC issuer and
/// the GitHub workflow / source repository extensions under <c>1.3.6.1.4.1.57264.1</c>.
/// </summary>
internal sealed record FulcioCertificate
{
    private const string FulcioArc = "1.3.6.1.4.1.57264.1.";
    private const string SanOid = "2.5.29.17";

    public IReadOnlyList<string> SubjectAlternativeNames { get; init; } = [];
    public string? Issuer { get; init; }
    public string? WorkflowRepository { get; init; }
    public string? WorkflowRef { get; init; }
    public string? SourceRepositoryUri { get; init; }
    public string? SourceRepositoryRef { get; init; }

    /// <summary>Reads the identity of <paramref name="certificate"/>.</summary>
    /// <exception cref="FormatException">The issuer extensions disagree or an extension is malformed.</exception>
    public static FulcioCertificate Read(X509Certificate2 certificate)
    {
        string? Raw(int n) => Extension(certificate, n) is { } e ? Encoding.UTF8.GetString(e) : null;
        string? Der(int n) => Extension(certificate, n) is { } e ? DecodeUtf8String(e, n) : null;
        var issuerV1 = Raw(1);
        var issuerV2 = Der(8);
        if (issuerV1 is not null && issuerV2 is not null && issuerV1 != issuerV2)
        {
            throw new FormatException("the certificate's two OIDC issuer extensions disagree");
        }
        return new FulcioCertificate
        {
            SubjectAlternativeNames = ReadSan(certificate),
            Issuer = issuerV2 ?? issuerV1,
            WorkflowRepository = Raw(5),
            WorkflowRef = Raw(6) ?? Der(14),
            SourceRepositoryUri = Der(12),
            SourceRepositoryRef = Der(14),
        };
    }

    private static byte[]? Extension(X509Certificate2 certificate, int suffix)
    {
        var oid = FulcioArc + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == oid)
            {
                return extension.RawData;
            }
        }
        return null;
    }

    private static string DecodeUtf8String(byte[] der, int suffix)
    {
        try
        {
            return new AsnReader(der, AsnEncodingRules.DER).ReadCharacterString(UniversalTagNumber.UTF8String);
        }
        catch (AsnContentException ex)
        {
            throw new FormatException($"certificate extension 1.3.6.1.4.1.57264.1.{suffix} is not a DER UTF8String", ex);
        }
    }

    // GeneralNames: rfc822Name [1], dNSName [2], URI [6] are IA5Strings; otherName [0] carries a UTF8String.
    private static List<string> ReadSan(X509Certificate2 certificate)
    {
        var names = new List<string>();
        var extension = certificate.Extensions.FirstOrDefault(e => e.Oid?.Value == SanOid);
        if (extension is null)
        {
            return names;
        }
        try
        {
            var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var tag = sequence.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific)
                {
                    sequence.ReadEncodedValue();
                    continue;
                }
                switch (tag.TagValue)
                {
                    case 1 or 2 or 6:
                        names.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, tag.TagValue)));
                        break;
                    case 0:
                        var other = sequence.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                        other.ReadObjectIdentifier();
                        var explicitValue = other.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true));
                        names.Add(explicitValue.ReadCharacterString(UniversalTagNumber.UTF8String));
                        break;
                    default:
                        sequence.ReadEncodedValue();
                        break;
                }
            }
        }
        catch (AsnContentException ex)
        {
            throw new FormatException("the certificate's subject alternative name is malformed", ex);
        }
        return names;
    }
}
