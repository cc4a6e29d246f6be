/// Name lists for demo data: common names in English and Welsh primary schools today, with the
/// accents, apostrophes, hyphens and spaces that trip up matching (Zoë, Siân, O'Connor, Smith-Jones,
/// de Souza), so that the demo exercises them.
enum DemoNames {
    static let girls: [String] = [
        "Olivia", "Amelia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Mia", "Willow", "Rosie", "Sophia",
        "Isabella", "Grace", "Daisy", "Sienna", "Poppy", "Elsie", "Emily", "Ella", "Evelyn", "Phoebe", "Sofia",
        "Evie", "Charlotte", "Harper", "Millie", "Matilda", "Maya", "Sophie", "Alice", "Emilia", "Isabelle",
        "Ruby", "Luna", "Maisie", "Aria", "Penelope", "Mila", "Bonnie", "Eva", "Hallie", "Eliza", "Ada", "Violet",
        "Esme", "Arabella", "Imogen", "Jessica", "Delilah", "Thea", "Layla", "Chloé", "Zoë", "Siân", "Niamh",
        "Aoife", "Saoirse", "Renée", "Anaïs", "Amélie", "Inès", "Noémie", "Zofia", "Oliwia", "Maja", "Hanna",
        "Aisha", "Fatima", "Maryam", "Zara", "Hafsa", "Khadija", "Amira", "Inaya", "Anaya", "Priya", "Aaradhya",
        "Eleanor", "Elizabeth", "Abigail", "Katherine", "Rebecca", "Scarlett", "Hannah", "Lucy", "Erin", "Megan",
        "Cerys", "Ffion", "Seren", "Mali", "Efa", "Nia", "Eira", "Gwen", "Lowri", "Carys", "Martha", "Beatrice",
        "Edith", "Iris", "Jasmine", "Lottie", "Molly", "Orla", "Pippa", "Robyn", "Summer", "Tilly", "Heidi",
        "Clara", "Nancy", "Olive", "Margot", "Hazel", "Aurora", "Georgia", "Holly", "Mary-Jane", "Lily-Rose",
        "Ellie-Mae", "Kiera", "Skye", "Nell",
    ]

    static let boys: [String] = [
        "Muhammad", "Noah", "Oliver", "George", "Leo", "Arthur", "Oscar", "Theodore", "Freddie", "Theo", "Archie",
        "Henry", "Luca", "Alfie", "Finley", "Jack", "Teddy", "Charlie", "Thomas", "Isaac", "Tommy", "Lucas",
        "Jude", "Albie", "Hugo", "Arlo", "William", "Elijah", "Harry", "Ezra", "Reggie", "Rory", "Roman",
        "Edward", "Mason", "Jacob", "Sonny", "Hunter", "Louie", "Max", "Harrison", "Ronnie", "Alexander",
        "Benjamin", "Samuel", "Joseph", "Daniel", "Frederick", "Alfred", "Sebastian", "Gabriel", "Nathaniel",
        "Maximilian", "Christopher", "Jonathan", "Dylan", "Ethan", "Joshua", "Toby", "Louis", "Felix", "Jesse",
        "Ellis", "Jenson", "Bobby", "Stanley", "Austin", "Caleb", "Ibrahim", "Yusuf", "Ayaan", "Zayn", "Hamza",
        "Omar", "Ali", "Rayan", "Aarav", "Arjun", "Vihaan", "Seán", "Rónán", "Oisín", "Ciarán", "Cillian",
        "Tadhg", "Rhys", "Dafydd", "Ioan", "Osian", "Gruffydd", "Iwan", "Llŷr", "Łukasz", "Jakub", "Mateusz",
        "Szymon", "Filip", "José", "Mateo", "Andrés", "Jérôme", "Noé", "Kai", "Reuben", "Zachary", "Ollie",
        "Jaxon", "Otis", "Ralph", "Ted", "Vincent", "Wilfred", "Bodhi", "Brodie", "Callum", "Cameron", "Connor",
        "Declan", "Ewan", "Fraser", "Jay-Jay", "Harley", "Kian", "Leon", "Mohammed", "Nathan", "Owen",
    ]

    static let women: [String] = [
        "Sarah", "Claire", "Emma", "Rachel", "Laura", "Helen", "Nicola", "Kelly", "Joanne", "Lisa", "Amy",
        "Gemma", "Hayley", "Victoria", "Kirsty", "Louise", "Zoë", "Siân", "Rhian", "Bethan", "Catrin", "Sinéad",
        "Aoife", "Marta", "Agnieszka", "Katarzyna", "Anna", "Priya", "Nadia", "Fatima", "Ayesha", "Samira",
        "Jennifer", "Katie", "Lauren", "Natalie", "Charlotte", "Stephanie", "Danielle", "Rebecca", "Hannah",
        "Jessica", "Kate", "Lucy", "Michelle", "Rachael", "Stacey", "Vicky", "Jade", "Leanne", "Naomi", "Ruth",
        "Hélène", "Chloé", "Mary-Anne", "Jo", "Tracey", "Alison", "Caroline", "Fiona", "Julie", "Karen",
    ]

    static let men: [String] = [
        "David", "James", "Michael", "Paul", "Andrew", "Mark", "Richard", "Daniel", "Christopher", "Matthew",
        "Stephen", "Simon", "Lee", "Craig", "Gareth", "Rhodri", "Owain", "Dewi", "Sean", "Ciarán", "Declan",
        "Piotr", "Tomasz", "Marek", "Raj", "Imran", "Tariq", "Mohammed", "Adeel", "Kwame", "Tunde", "Chidi",
        "Jonathan", "Robert", "Thomas", "Adam", "Ben", "Carl", "Dean", "Gary", "Jamie", "Jason", "Kevin",
        "Liam", "Martin", "Neil", "Peter", "Ryan", "Scott", "Tom", "Wayne", "Luke", "Nathan", "Joe", "Sam",
        "José", "Jean-Paul", "René", "Ian", "Stuart",
    ]

    static let surnames: [String] = [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
        "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
        "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward",
        "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott",
        "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly",
        "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox",
        "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
        "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell",
        "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
        "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson", "Ahmed",
        "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds", "Saunders",
        "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley",
        "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan",
        "Grant", "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett",
        "Webster", "Hunter", "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons",
        "Berry", "Stone", "Reid", "Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton", "Oliver",
        "Reed", "Kennedy", "Williamson", "Bird", "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates", "Henderson",
        "Parry", "Burgess", "Bishop", "Walton", "Burns", "Nicholson", "Shepherd", "Ross", "Cross", "Long",
        "Freeman", "Warren", "Nicholls", "Hamilton", "Byrne", "Sutton", "McDonald", "Yates", "Hodgson",
        "Robson", "Curtis", "Hopkins", "O'Connor", "Harper", "Coleman", "Watkins", "Moss", "McCarthy",
        "Chambers", "O'Neill", "Griffin", "Sharp", "Hardy", "Wheeler", "Potter", "Osborne", "Johnston", "Gordon",
        "Doyle", "Wallace", "George", "Jordan", "Hutchinson", "Rowe", "Burke", "May", "Pritchard", "Gilbert",
        "Willis", "Higgins", "Read", "Miah", "Rahman", "Islam", "Chowdhury", "Akhtar", "Iqbal", "Sharma",
        "Mistry", "Nowak", "Kowalski", "Wiśniewski", "Lewandowski", "Mensah", "Okafor", "Adeyemi", "Osei",
        "Nguyen", "Chen", "Wang", "Fernández", "Núñez", "Müller", "Smith-Jones", "Taylor-Brown", "Lloyd-Davies",
        "Wynne-Jones", "Hughes-Roberts", "Bowes-Lyon", "D'Souza", "de Souza", "O'Sullivan", "McLaughlin",
        "MacLeod", "Ní Bhriain", "ap Rhys", "Le Roux", "Van der Berg", "Ó Briain", "Llewellyn", "Pryce",
        "Cadwaladr", "Vaughan", "Beddoe", "Gwynne",
    ]

    /// Everyday short forms: a pupil known by one has it as the preferred forename.
    static let shortForms: [String: String] = [
        "Alexander": "Alex", "Benjamin": "Ben", "Christopher": "Chris", "Daniel": "Dan", "Edward": "Ted",
        "Frederick": "Freddie", "Alfred": "Alfie", "Jonathan": "Jon", "Joseph": "Joe", "Maximilian": "Max",
        "Nathaniel": "Nate", "Samuel": "Sam", "Sebastian": "Seb", "Theodore": "Theo", "William": "Will",
        "Thomas": "Tom", "Gabriel": "Gabe", "Abigail": "Abi", "Charlotte": "Lottie", "Eleanor": "Ellie",
        "Elizabeth": "Beth", "Isabella": "Bella", "Jessica": "Jess", "Katherine": "Kate", "Matilda": "Tilly",
        "Rebecca": "Becky", "Florence": "Flo", "Penelope": "Penny", "Margot": "Margo",
    ]

    /// Streets for addresses; the town is fixed (see `DemoSchool`).
    static let streets: [String] = [
        "Mill Road", "High Street", "Church Lane", "Station Road", "Victoria Road", "Green Lane", "Park Road",
        "Queen's Road", "King's Road", "St Mary's Close", "Orchard Way", "The Crescent", "Chapel Street",
        "Meadow View", "Willow Walk", "Oak Avenue", "Beech Grove", "Cherry Hinton Road", "Newmarket Road",
        "Hills Road", "Tenison Road", "Coleridge Road", "Gwydir Street", "Ross Street", "Catharine Street",
        "Vinery Road", "Perne Road", "Birdwood Road", "Fulbourn Road", "Holbrook Road", "Blinco Grove",
        "Rustat Road", "Davy Road", "Natal Road", "Sedley Taylor Road", "Nightingale Avenue", "Hartington Grove",
        "Marshall Road", "Hinton Avenue", "Cavendish Road",
    ]

    /// Districts of the town, written before the town in an address.
    static let districts: [String?] = [
        nil, nil, "Romsey", "Cherry Hinton", "Coleridge", "Petersfield", "Queen Edith's",
    ]

    /// Outward codes of the area. Inward codes are made up, in the valid form (digit, two letters
    /// from the set Royal Mail uses there: no C, I, K, M, O or V).
    static let outwardCodes: [String] = ["CB1", "CB2", "CB4", "CB5", "CB21", "CB22", "CB23", "CB24", "CB25"]
    static let inwardLetters: [Character] = Array("ABDEFGHJLNPQRSTUWXYZ")
}
