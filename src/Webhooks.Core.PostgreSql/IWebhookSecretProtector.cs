namespace Webhooks.Core.PostgreSql;

/// <summary>
/// Protects the signing secrets and custom headers of webhook configs at rest. The store calls <see cref="Protect"/>
/// before writing and <see cref="Unprotect"/> after reading; nothing else is protected.
/// </summary>
/// <remarks>
/// Without a protector the values are stored as they are. To use ASP.NET Core Data Protection, wrap an
/// <c>IDataProtector</c> (<c>provider.CreateProtector("Webhooks.Core.PostgreSql")</c>) in a class implementing this
/// interface and register it in the container or set <see cref="PostgreSqlStoreOptions.SecretProtector"/>; every host
/// instance sharing the database must share the key ring. Exceptions propagate to the caller of the store.
/// </remarks>
public interface IWebhookSecretProtector
{
    /// <summary>Returns the protected form of <paramref name="plaintext"/>.</summary>
    /// <param name="plaintext">The value to protect.</param>
    string Protect(string plaintext);

    /// <summary>Returns the value that <see cref="Protect"/> turned into <paramref name="protectedText"/>.</summary>
    /// <param name="protectedText">The protected value.</param>
    string Unprotect(string protectedText);
}
