// Lets WebApplicationFactory<Program> find the entry point of this service in tests.
public partial class Program;
