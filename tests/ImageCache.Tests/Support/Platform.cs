// qemu-img, flock and O_DIRECT: these tests only mean something on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
