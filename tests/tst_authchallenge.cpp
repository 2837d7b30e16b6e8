// The WWW-Authenticate header and its claims challenge, read alone (AuthChallenge), and the claims parameter a public
// client sends (OAuth::claimsParameter). No network.
#include "app/auth/AuthChallenge.h"
#include "app/auth/OAuth.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// The example of docs/sign-in.md (from Microsoft's claims-challenge guide), word for word:
// {"access_token":{"acrs":{"essential":true,"value":"cp1"}}}.
const QByteArray GuideAcrs = "eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiY3AxIn19fQ==";
// The continuous access evaluation example of Microsoft's CAE guide: a token issued after a revocation time.
const QByteArray CaeNbf = "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=";
} // namespace

class TestAuthChallenge : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void headersAreReadAsRfc7235WritesThem()
    {
        const auto challenges = AuthChallenge::parse(
            "Negotiate abc+/==, Basic realm=\"a, b \\\"quoted\\\"\", charset=UTF-8, Bearer realm=\"\", "
            "authorization_uri=https://login.microsoftonline.com/contoso/oauth2/authorize, error = \"invalid_token\"");
        QCOMPARE(challenges.size(), 3);
        QCOMPARE(challenges.at(0).scheme, QByteArray("Negotiate"));
        QCOMPARE(challenges.at(0).token68, QByteArray("abc+/=="));
        QVERIFY(challenges.at(0).params.isEmpty());
        QCOMPARE(challenges.at(1).scheme, QByteArray("Basic"));
        QCOMPARE(challenges.at(1).param("realm"), QByteArray("a, b \"quoted\""));
        QCOMPARE(challenges.at(1).param("CHARSET"), QByteArray("UTF-8"));
        QCOMPARE(challenges.at(2).scheme, QByteArray("Bearer"));
        QCOMPARE(challenges.at(2).params.size(), 3);
        QCOMPARE(challenges.at(2).param("realm"), QByteArray());
        QCOMPARE(challenges.at(2).param("authorization_uri"),
                 QByteArray("https://login.microsoftonline.com/contoso/oauth2/authorize"));
        QCOMPARE(challenges.at(2).param("error"), QByteArray("invalid_token"));
        // An unterminated quoted string runs to the end instead of being dropped.
        QCOMPARE(AuthChallenge::parse("Bearer claims=\"abc").first().param("claims"), QByteArray("abc"));
        QVERIFY(AuthChallenge::parse("").isEmpty());
    }

    void claimsChallenges_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<bool>("readable");
        QTest::addColumn<QStringList>("names"); // empty when there is no claims challenge
        QTest::addColumn<QString>("refusal"); // in the sentence when the claims cannot be read

        QTest::newRow("Microsoft's example")
            << QByteArray("Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/"
                          "authorize\", error=\"insufficient_claims\", claims=\"" +
                          GuideAcrs + "\"")
            << true << QStringList {u"access_token.acrs"_s} << QString();
        QTest::newRow("continuous access evaluation, padded, fields in another order")
            << QByteArray("Bearer claims=\"" + CaeNbf +
                          "\", error=\"insufficient_claims\", authorization_uri=\"https://login.windows.net/common/"
                          "oauth2/authorize\"")
            << true << QStringList {u"access_token.nbf"_s} << QString();
        // Two WWW-Authenticate headers reach the client joined by a comma: the claims challenge is the second.
        QTest::newRow("several challenges")
            << QByteArray("Bearer authorization_uri=https://login.microsoftonline.com/t/oauth2/authorize, "
                          "resource_id=https://org.crm.dynamics.com/, Negotiate, Bearer realm=\"\", "
                          "error=\"insufficient_claims\", claims=\"" +
                          GuideAcrs + "\"")
            << true << QStringList {u"access_token.acrs"_s} << QString();
        QTest::newRow("base64url, case-insensitive names and values")
            << QByteArray("bearer ERROR=Insufficient_Claims, Claims=") +
                QByteArray(R"({"access_token":{"xms_cc":{"values":["cp1"]},"acrs":null}})")
                    .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
            << true << QStringList {u"access_token.acrs"_s, u"access_token.xms_cc"_s} << QString();
        QTest::newRow("an expired token, no claims challenge")
            << QByteArray("Bearer error=\"invalid_token\", error_description=\"The access token expired\", "
                          "authorization_uri=https://login.microsoftonline.com/t/oauth2/authorize")
            << true << QStringList() << QString();
        QTest::newRow("claims on another error are not a challenge")
            << QByteArray("Bearer error=\"invalid_token\", claims=\"" + GuideAcrs + "\"") << true << QStringList()
            << QString();
        QTest::newRow("not base64") << QByteArray("Bearer error=\"insufficient_claims\", claims=\"{not base64}\"")
                                    << false << QStringList() << u"not base64"_s;
        QTest::newRow("base64 but not JSON")
            << QByteArray("Bearer error=\"insufficient_claims\", claims=\"" + QByteArray("acrs=c1").toBase64() + "\"")
            << false << QStringList() << u"not a JSON object"_s;
        QTest::newRow("JSON but not a claims request")
            << QByteArray("Bearer error=\"insufficient_claims\", claims=\"" +
                          QByteArray(R"({"access_token":"c1"})").toBase64() + "\"")
            << false << QStringList() << u"not a JSON object of objects"_s;
        QTest::newRow("no claims") << QByteArray("Bearer realm=\"\", error=\"insufficient_claims\"") << false
                                   << QStringList() << u"names no claims"_s;
    }
    void claimsChallenges()
    {
        QFETCH(QByteArray, header);
        QFETCH(bool, readable);
        QFETCH(QStringList, names);
        QFETCH(QString, refusal);
        const auto challenge = AuthChallenge::insufficientClaims(header);
        QCOMPARE(challenge.ok(), readable);
        if (!readable) {
            QCOMPARE(challenge.error().kind, Error::Kind::Auth);
            QCOMPARE(challenge.error().serviceCode, u"insufficient_claims"_s);
            QVERIFY2(challenge.error().userMessage.contains(refusal), qPrintable(challenge.error().userMessage));
            QVERIFY(challenge.error().userMessage.endsWith(u'.'));
            return;
        }
        QCOMPARE(challenge.value().has_value(), !names.isEmpty());
        if (names.isEmpty())
            return;
        QCOMPARE(challenge.value()->names, names);
        // The claims as JSON, ready for a request's claims parameter.
        const QJsonObject json = QJsonDocument::fromJson(challenge.value()->json).object();
        QVERIFY(json.value(u"access_token"_s).isObject());
        QVERIFY(!challenge.value()->json.contains('\n'));
    }

    void theClaimsComeBackAsSent()
    {
        const auto challenge =
            AuthChallenge::insufficientClaims("Bearer error=\"insufficient_claims\", claims=\"" + GuideAcrs + "\"");
        QVERIFY(challenge && challenge.value());
        QCOMPARE(challenge.value()->json, QByteArray(R"({"access_token":{"acrs":{"essential":true,"value":"cp1"}}})"));
        // The CAE example's space after a comma is gone: compact, as a query parameter should be.
        const auto cae = AuthChallenge::insufficientClaims("Bearer error=insufficient_claims, claims=" + CaeNbf);
        QVERIFY(cae && cae.value());
        QCOMPARE(cae.value()->json, QByteArray(R"({"access_token":{"nbf":{"essential":true,"value":"1604106651"}}})"));
    }

    void publicClientsDeclareTheirCapability()
    {
        // Alone: the declaration of docs/sign-in.md, "Declaring the capability (cp1)".
        QCOMPARE(OAuth::claimsParameter(), QByteArray(R"({"access_token":{"xms_cc":{"values":["cp1"]}}})"));
        // Merged into a challenge's request: the guide's example with c25, keys in JSON's order.
        QCOMPARE(
            OAuth::claimsParameter(R"({"access_token":{"acrs":{"essential":true,"value":"c25"}}})"),
            QByteArray(R"({"access_token":{"acrs":{"essential":true,"value":"c25"},"xms_cc":{"values":["cp1"]}}})"));
        // What else the challenge asks for stays; a capability already asked for is not repeated.
        QCOMPARE(
            OAuth::claimsParameter(R"({"access_token":{"xms_cc":{"values":["cp1","x"]}},"id_token":{"acr":null}})"),
            QByteArray(R"({"access_token":{"xms_cc":{"values":["cp1","x"]}},"id_token":{"acr":null}})"));
    }
};

QTEST_GUILESS_MAIN(TestAuthChallenge)
#include "tst_authchallenge.moc"
