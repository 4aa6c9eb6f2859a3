using System.Text;
using UpdateAgent.DBus.Protocol;
using UpdateAgent.DBus.Transport;

namespace UpdateAgent.DBus.Tests;

/// <summary>The server end of an in-memory connection, driven step by step by a test.</summary>
internal sealed class ScriptedPeer : IAsyncDisposable
{
    private readonly InMemoryTransport _transport;

    private ScriptedPeer(InMemoryTransport transport, DBusConnection client)
    {
        _transport = transport;
        Client = client;
    }

    public DBusConnection Client { get; }

    /// <summary>Connects a client (peer mode: no Hello) to a scripted server that accepts EXTERNAL.</summary>
    public static async Task<ScriptedPeer> StartAsync(int maxIncomingMessageLength = DBusConnection.DefaultMaxIncomingMessageLength)
    {
        var (client, server) = InMemoryTransport.CreatePair();
        var serverSide = Task.Run(async () =>
        {
            var auth = await ReadUntilAsync(server, "\r\n");
            Assert.Equal("\0AUTH EXTERNAL 31303030\r\n", auth);
            await server.SendAsync(Encoding.ASCII.GetBytes("OK 0123456789abcdef0123456789abcdef\r\n"), default);
            Assert.Equal("BEGIN\r\n", await ReadUntilAsync(server, "\r\n"));
        });
        var connection = await DBusConnection.StartAsync(client, "scripted peer", isBus: false, uid: 1000, maxIncomingMessageLength, CancellationToken.None);
        await serverSide;
        return new ScriptedPeer(server, connection);
    }

    /// <summary>Reads the next whole message the client sent.</summary>
    public async Task<Message> ReceiveAsync()
    {
        var header = await ReadExactlyAsync(ProtocolLimits.FixedHeaderLength);
        var rest = await ReadExactlyAsync(Message.GetTotalLength(header) - header.Length);
        return Message.Parse([.. header, .. rest]);
    }

    public Task SendAsync(OutgoingMessage message, uint serial) => _transport.SendAsync(message.Serialize(serial), default).AsTask();

    public Task SendRawAsync(byte[] bytes) => _transport.SendAsync(bytes, default).AsTask();

    /// <summary>The server end goes away, as when the bus dies.</summary>
    public void Disconnect() => _transport.Dispose();

    public async ValueTask DisposeAsync()
    {
        _transport.Dispose();
        await Client.DisposeAsync();
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var buffer = new byte[count];
        for (var filled = 0; filled < count;)
        {
            var read = await _transport.ReceiveAsync(buffer.AsMemory(filled), default);
            if (read == 0)
            {
                throw new IOException("client closed");
            }
            filled += read;
        }
        return buffer;
    }

    private static async Task<string> ReadUntilAsync(IMessageTransport transport, string terminator)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith(terminator, StringComparison.Ordinal))
        {
            if (await transport.ReceiveAsync(one, default) == 0)
            {
                throw new IOException("client closed during authentication");
            }
            text.Append((char)one[0]);
        }
        return text.ToString();
    }
}
